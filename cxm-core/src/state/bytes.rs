//! The binary format of states, version 1 (documented for other languages in
//! `docs/state-format.md`). Little-endian throughout:
//!
//! | bytes | field |
//! |---|---|
//! | 4 | magic `CXMS` |
//! | 1 | format version, 1 |
//! | 1 | metric code ([`Metric`]) |
//! | 1 | flags: bit 0 set when weighted; the other bits 0 |
//! | 1 | 0 |
//! | … | the metric's parameters (a rating's scale; nothing for NPS) |
//! | 4 | `u32` number of groups |
//! | 8 each | `u64` count per group |
//! | … | when weighted: per group its exact weight sum, then the three exact sums of squares |
//! | 4 | `u32` CRC-32 (as zlib's `crc32`) of every byte before it |
//!
//! An exact sum is a flags byte (bit 0 negative, bit 1 +∞, bit 2 −∞, bit 3 NaN seen), the
//! index of its lowest base-2^32 digit, the number of digits, and the digits (`u32` each, lowest
//! first) of the magnitude in units of 2^-1074; the lowest and highest digits are not zero.

use super::Metric;
use crate::error::Error;
use crate::exact::{Digits, ExactSum};
use crate::score::Tally;
use crate::small::Small;
use crate::weight_sums::{Squares, WeightSums};

/// The first four bytes of every state.
const MAGIC: &[u8; 4] = b"CXMS";
/// The format version this library writes and reads.
const VERSION: u8 = 1;
/// The flag of weighted states.
const WEIGHTED: u8 = 1;

/// The bytes of a state of `metric` with its `parameters` (already little-endian) and tally.
pub(crate) fn encode(metric: Metric, parameters: &[u8], tally: &Tally) -> Vec<u8> {
    let weighted = tally.sums.is_some() && !tally.is_empty();
    let mut out = Vec::with_capacity(64 + 8 * tally.counts.len());
    out.extend_from_slice(MAGIC);
    #[allow(clippy::cast_possible_truncation)] // metric codes are below 256
    out.extend_from_slice(&[VERSION, metric.code() as u8, u8::from(weighted), 0]);
    out.extend_from_slice(parameters);
    #[allow(clippy::cast_possible_truncation)] // at most MAX_SCALE_POINTS groups
    out.extend_from_slice(&(tally.counts.len() as u32).to_le_bytes());
    for count in &tally.counts {
        out.extend_from_slice(&count.to_le_bytes());
    }
    if let (true, Some(sums)) = (weighted, &tally.sums) {
        for sum in sums.groups.iter().chain(sums.squares.ranges()) {
            write_sum(&mut out, sum);
        }
    }
    let checksum = crc32(&out);
    out.extend_from_slice(&checksum.to_le_bytes());
    out
}

/// The bytes of a state of `metric` (`weighted` or not) whose body (after the header) is
/// `body`, already little-endian: the header, the body and the checksum.
pub(crate) fn encode_body(metric: Metric, weighted: bool, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(12 + body.len());
    out.extend_from_slice(MAGIC);
    #[allow(clippy::cast_possible_truncation)] // metric codes are below 256
    out.extend_from_slice(&[VERSION, metric.code() as u8, u8::from(weighted), 0]);
    out.extend_from_slice(body);
    let checksum = crc32(&out);
    out.extend_from_slice(&checksum.to_le_bytes());
    out
}

fn write_sum(out: &mut Vec<u8>, sum: &ExactSum) {
    write_digits(out, &sum.digits());
}

/// An exact sum, given by its canonical digits, in the format's encoding.
pub(crate) fn write_digits(out: &mut Vec<u8>, digits: &Digits) {
    let Digits { negative, non_finite, first, digits } = digits;
    #[allow(clippy::cast_possible_truncation)] // at most 68 digits
    out.extend_from_slice(&[
        u8::from(*negative) | (non_finite << 1),
        *first as u8,
        digits.len() as u8,
    ]);
    for digit in digits {
        out.extend_from_slice(&digit.to_le_bytes());
    }
}

/// The checked body of a state's bytes, read in order.
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
    weighted: bool,
}

/// An [`Error::InvalidState`] saying `reason`.
pub(crate) fn invalid(reason: impl Into<String>) -> Error {
    Error::InvalidState { reason: reason.into() }
}

/// Checks the header and checksum of bytes that should hold a state of `metric`, and returns
/// the reader of its parameters and tally.
pub(crate) fn decode(bytes: &[u8], metric: Metric) -> Result<Reader<'_>, Error> {
    let Some((header, rest)) = bytes.split_first_chunk::<8>() else {
        return Err(invalid(format!("{} bytes are too few for a state's header", bytes.len())));
    };
    if &header[..4] != MAGIC {
        return Err(invalid("the bytes do not start with CXMS: not a cxm state"));
    }
    if header[4] != VERSION {
        return Err(invalid(format!(
            "format version {} is not supported: this version of cxm reads version {VERSION}",
            header[4]
        )));
    }
    let Some((body, checksum)) = rest.split_last_chunk::<4>() else {
        return Err(invalid("the bytes end before the checksum: the state is truncated"));
    };
    if crc32(&bytes[..bytes.len() - 4]) != u32::from_le_bytes(*checksum) {
        return Err(invalid("the checksum does not match: the state is truncated or corrupted"));
    }
    if u32::from(header[5]) != metric.code() {
        let other =
            Metric::from_code(u32::from(header[5])).map_or("an unknown metric", Metric::name);
        return Err(invalid(format!("a state of {other}, not of {}", metric.name())));
    }
    if header[6] & !WEIGHTED != 0 || header[7] != 0 {
        return Err(invalid("unknown flags in the header"));
    }
    Ok(Reader { rest: body, weighted: header[6] & WEIGHTED != 0 })
}

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N], Error> {
        let Some((head, rest)) = self.rest.split_first_chunk::<N>() else {
            return Err(invalid("the bytes end early: the state is truncated"));
        };
        self.rest = rest;
        Ok(*head)
    }

    /// The next byte.
    pub fn u8(&mut self) -> Result<u8, Error> {
        Ok(self.take::<1>()?[0])
    }

    /// The next `i64`.
    pub fn i64(&mut self) -> Result<i64, Error> {
        Ok(i64::from_le_bytes(self.take()?))
    }

    fn u32(&mut self) -> Result<u32, Error> {
        Ok(u32::from_le_bytes(self.take()?))
    }

    /// The next exact sum, with its digits as read (canonical, or refused).
    pub fn sum(&mut self) -> Result<(ExactSum, Digits), Error> {
        let [flags, first, len] = self.take::<3>()?;
        let digits = (0..len).map(|_| self.u32()).collect::<Result<Vec<u32>, Error>>()?;
        let parts = Digits {
            negative: flags & 1 == 1,
            non_finite: flags >> 1,
            first: first.into(),
            digits,
        };
        let sum = ExactSum::from_digits(&parts)
            .ok_or_else(|| invalid("an exact sum is not in canonical form"))?;
        Ok((sum, parts))
    }

    /// The tally of `groups` groups that ends the state; the bytes must end with it.
    pub fn tally(mut self, groups: usize) -> Result<Tally, Error> {
        let stored = self.u32()?;
        if usize::try_from(stored).ok() != Some(groups) {
            return Err(invalid(format!("{stored} groups where the metric has {groups}")));
        }
        let mut counts = Small::filled(0, groups);
        for count in counts.iter_mut() {
            *count = self.u64()?;
        }
        let mut tally = Tally { counts, sums: None };
        if tally.n().is_none() {
            return Err(invalid("the counts sum past 2^64 - 1"));
        }
        if self.weighted {
            if tally.is_empty() {
                return Err(invalid("a state of no responses is not weighted"));
            }
            let mut group_sums = Vec::with_capacity(groups);
            let mut group_digits = Vec::with_capacity(groups);
            for _ in 0..groups {
                let (sum, digits) = self.sum()?;
                group_sums.push(sum);
                group_digits.push(digits);
            }
            let [(low, low_digits), (mid, mid_digits), (high, high_digits)] =
                [self.sum()?, self.sum()?, self.sum()?];
            let square_digits = [low_digits, mid_digits, high_digits];
            let squares = Squares::from_ranges([low, mid, high]);
            let sums = WeightSums { groups: group_sums, squares };
            check_weights(&tally.counts, &group_digits, &square_digits)?;
            tally.sums = Some(Box::new(sums));
        }
        if !self.rest.is_empty() {
            return Err(invalid(format!("{} bytes follow the state", self.rest.len())));
        }
        Ok(tally)
    }

    /// The next `u64`.
    pub fn u64(&mut self) -> Result<u64, Error> {
        Ok(u64::from_le_bytes(self.take()?))
    }

    /// Whether the header says weighted.
    pub fn weighted(&self) -> bool {
        self.weighted
    }

    /// The bytes left before the checksum.
    pub fn left(&self) -> usize {
        self.rest.len()
    }
}

/// Refuses weights that no responses can have: negative or not finite, weight in a group with
/// no response, squares zero where the weights are not (or back).
fn check_weights(counts: &[u64], groups: &[Digits], squares: &[Digits]) -> Result<(), Error> {
    if groups.iter().chain(squares).any(|d| d.negative || d.non_finite != 0) {
        return Err(invalid("a weight sum is negative or not finite"));
    }
    if counts.iter().zip(groups).any(|(&c, d)| c == 0 && !d.digits.is_empty()) {
        return Err(invalid("a group with no response has weight"));
    }
    let no_weight = groups.iter().all(|d| d.digits.is_empty());
    let no_squares = squares.iter().all(|d| d.digits.is_empty());
    if no_weight != no_squares {
        return Err(invalid("the squared weights contradict the weights"));
    }
    Ok(())
}

/// CRC-32 as zlib's `crc32` and ISO 3309 define it (reflected polynomial 0xEDB88320, initial
/// value and final XOR 0xFFFFFFFF): `crc32(b"123456789") == 0xCBF43926`.
pub(crate) fn crc32(bytes: &[u8]) -> u32 {
    // Slicing by 8 (Kounavis & Berry, "A systematic approach to building high performance,
    // software-based, CRC generators", ISCC 2005): table k gives the CRC of a byte followed by
    // k zero bytes, so eight bytes take eight lookups and no dependent chain between them.
    const TABLES: [[u32; 256]; 8] = {
        let mut tables = [[0_u32; 256]; 8];
        let mut i = 0;
        while i < 256 {
            #[allow(clippy::cast_possible_truncation)] // i < 256
            let mut c = i as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 == 1 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
                k += 1;
            }
            tables[0][i] = c;
            i += 1;
        }
        let mut t = 1;
        while t < 8 {
            let mut i = 0;
            while i < 256 {
                let previous = tables[t - 1][i];
                tables[t][i] = (previous >> 8) ^ tables[0][(previous & 0xFF) as usize];
                i += 1;
            }
            t += 1;
        }
        tables
    };
    let t = &TABLES;
    let byte = |x: u32, shift: u32| ((x >> shift) & 0xFF) as usize;
    let mut crc = 0xFFFF_FFFF_u32;
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let (low, high) = word.split_at(4);
        let low = crc ^ u32::from_le_bytes([low[0], low[1], low[2], low[3]]);
        let high = u32::from_le_bytes([high[0], high[1], high[2], high[3]]);
        crc = t[7][byte(low, 0)]
            ^ t[6][byte(low, 8)]
            ^ t[5][byte(low, 16)]
            ^ t[4][byte(low, 24)]
            ^ t[3][byte(high, 0)]
            ^ t[2][byte(high, 8)]
            ^ t[1][byte(high, 16)]
            ^ t[0][byte(high, 24)];
    }
    for &b in words.remainder() {
        crc = t[0][((crc ^ u32::from(b)) & 0xFF) as usize] ^ (crc >> 8);
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_zlib() {
        // The check value of CRC-32/ISO-HDLC (Greg Cook's catalogue of CRC algorithms), and
        // Python's zlib.crc32 of the other strings.
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b"cxm"), 0x6135_4270);
        assert_eq!(crc32(b"The quick brown fox jumps over the lazy dog"), 0x414F_A339);
        assert_eq!(crc32(b""), 0);
        // Lengths past one and two 8-byte words, each rest length: zlib.crc32 of the ASCII.
        assert_eq!(crc32(b"0123456789abcdef"), 0x68C4_F033);
        assert_eq!(crc32(b"0123456789abcdefg"), 0xBE6C_BE90);
    }
}
