//! Serde for states: a state serializes as its bytes ([`State::to_bytes`](super::State)), and
//! is checked by [`State::from_bytes`](super::State) when read back, so that no serde format
//! can smuggle in a state the binary format would refuse.

/// Implements `Serialize` and `Deserialize` for the state type `$ty` through its bytes.
macro_rules! serde_as_bytes {
    ($ty:ty) => {
        impl serde::Serialize for $ty {
            fn serialize<Z: serde::Serializer>(&self, serializer: Z) -> Result<Z::Ok, Z::Error> {
                serializer.serialize_bytes(&$crate::State::to_bytes(self))
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<$ty, D::Error> {
                let bytes = deserializer.deserialize_byte_buf($crate::state::serde_bytes::Bytes)?;
                <$ty as $crate::State>::from_bytes(&bytes).map_err(serde::de::Error::custom)
            }
        }
    };
}

pub(crate) use serde_as_bytes;

/// Reads bytes from any serde format: as bytes, or as a sequence of numbers (JSON).
pub(crate) struct Bytes;

impl<'de> serde::de::Visitor<'de> for Bytes {
    type Value = Vec<u8>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the bytes of a cxm state")
    }

    fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<Vec<u8>, E> {
        Ok(bytes.to_vec())
    }

    fn visit_byte_buf<E: serde::de::Error>(self, bytes: Vec<u8>) -> Result<Vec<u8>, E> {
        Ok(bytes)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<u8>, A::Error> {
        let mut bytes = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 16));
        while let Some(byte) = seq.next_element()? {
            bytes.push(byte);
        }
        Ok(bytes)
    }
}
