//! Options given by name or by code: each value of an option enum is declared once, with its
//! `snake_case` name (how Python, the command line and messages spell it) and its stable numeric
//! code (how C passes it). Names and codes are never reused.

/// Declares the values of the option enum `$ty`, called `$option` in messages, each with its
/// name and its code: it writes `OPTION`, `ALL`, `name`, `code`, `from_code` and `FromStr`.
macro_rules! named_options {
    ($ty:ident, $option:literal, [$($variant:ident => $name:literal = $code:literal),* $(,)?]) => {
        impl $ty {
            /// What this option is called in messages.
            pub const OPTION: &'static str = $option;

            /// Every value with its name and code, in code order.
            pub const ALL: &'static [($ty, &'static str, u32)] =
                &[$(($ty::$variant, $name, $code)),*];

            /// The value's `snake_case` name, as parsed.
            #[must_use]
            pub fn name(self) -> &'static str {
                match self {
                    $($ty::$variant => $name,)*
                }
            }

            /// The value's stable code in the C ABI.
            #[must_use]
            pub fn code(self) -> u32 {
                match self {
                    $($ty::$variant => $code,)*
                }
            }

            /// The value whose C code is `code`, if any.
            #[must_use]
            pub fn from_code(code: u32) -> Option<$ty> {
                match code {
                    $($code => Some($ty::$variant),)*
                    _ => None,
                }
            }
        }

        impl std::str::FromStr for $ty {
            type Err = crate::Error;

            /// One of the names in [`Self::ALL`].
            fn from_str(name: &str) -> Result<$ty, crate::Error> {
                crate::error::parse_name($option, name, &[$(($name, $ty::$variant)),*])
            }
        }
    };
}

pub(crate) use named_options;
