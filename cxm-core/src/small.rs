//! A short list of numbers kept inline: a state's per-category counts and weights. Grouped
//! tables hold one state per segment (100 000 segments are common), and a heap allocation per
//! state would cost more than counting its rows.

use std::ops::{Deref, DerefMut};

/// Lists up to this long (an 11-point scale's points) are inline.
const INLINE: usize = 11;

/// A list of `T`, inline up to [`INLINE`] items, else on the heap.
#[derive(Clone)]
pub(crate) enum Small<T: Copy + Default> {
    /// `len` items at the start of the array.
    Inline(u8, [T; INLINE]),
    /// Longer lists.
    Heap(Vec<T>),
}

impl<T: Copy + Default> Small<T> {
    /// `len` copies of `value`.
    pub(crate) fn filled(value: T, len: usize) -> Small<T> {
        match u8::try_from(len) {
            Ok(short) if len <= INLINE => Small::Inline(short, [value; INLINE]),
            _ => Small::Heap(vec![value; len]),
        }
    }
}

impl<T: Copy + Default> Deref for Small<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        match self {
            Small::Inline(len, items) => &items[..usize::from(*len)],
            Small::Heap(items) => items,
        }
    }
}

impl<T: Copy + Default> DerefMut for Small<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        match self {
            Small::Inline(len, items) => &mut items[..usize::from(*len)],
            Small::Heap(items) => items,
        }
    }
}

impl<T: Copy + Default> From<&[T]> for Small<T> {
    fn from(items: &[T]) -> Small<T> {
        let mut out = Small::filled(T::default(), items.len());
        out.copy_from_slice(items);
        out
    }
}

impl<T: Copy + Default> From<Vec<T>> for Small<T> {
    fn from(items: Vec<T>) -> Small<T> {
        if items.len() <= INLINE {
            Small::from(items.as_slice())
        } else {
            Small::Heap(items)
        }
    }
}

impl<T: Copy + Default> FromIterator<T> for Small<T> {
    /// Inline while the items fit, without a heap list on the way.
    fn from_iter<I: IntoIterator<Item = T>>(items: I) -> Small<T> {
        let mut inline = [T::default(); INLINE];
        let mut items = items.into_iter();
        for len in 0..=INLINE {
            match items.next() {
                None => return Small::Inline(u8::try_from(len).unwrap_or(u8::MAX), inline),
                Some(item) if len < INLINE => inline[len] = item,
                Some(item) => {
                    let mut heap = inline.to_vec();
                    heap.push(item);
                    heap.extend(items);
                    return Small::Heap(heap);
                }
            }
        }
        unreachable!("the loop returns by its last turn")
    }
}

impl<'a, T: Copy + Default> IntoIterator for &'a Small<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<T: Copy + Default + std::fmt::Debug> std::fmt::Debug for Small<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

// By the items: slots past an inline list's length are not part of it.
impl<T: Copy + Default + PartialEq> PartialEq for Small<T> {
    fn eq(&self, other: &Small<T>) -> bool {
        **self == **other
    }
}

impl<T: Copy + Default + Eq> Eq for Small<T> {}

impl<T: Copy + Default + PartialEq> PartialEq<Vec<T>> for Small<T> {
    fn eq(&self, other: &Vec<T>) -> bool {
        **self == **other
    }
}

impl<T: Copy + Default + PartialEq, const N: usize> PartialEq<[T; N]> for Small<T> {
    fn eq(&self, other: &[T; N]) -> bool {
        **self == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_and_heap_lists_read_alike() {
        for len in [0, 3, INLINE, INLINE + 1, 101] {
            let items: Vec<u64> = (0..len as u64).collect();
            let small = Small::from(items.clone());
            assert_eq!(&*small, items.as_slice());
            assert_eq!(matches!(small, Small::Heap(_)), len > INLINE);
            let mut zeros = Small::filled(0_u64, len);
            zeros.copy_from_slice(&items);
            assert_eq!(zeros, small);
            assert_eq!(items.iter().copied().collect::<Small<u64>>(), small);
        }
    }
}
