//! A short list of numbers kept inline: a state's per-category counts and weights, an exact
//! sum's words. Grouped tables hold one state per segment (100 000 segments are common), and a
//! heap allocation per state would cost more than counting its rows.

use std::ops::{Deref, DerefMut};

/// Lists up to this long (an 11-point scale's points) are inline, unless the type says fewer.
const INLINE: usize = 11;

/// A list of `T`, inline up to `N` items, else on the heap.
#[derive(Clone)]
pub(crate) enum Small<T: Copy + Default, const N: usize = INLINE> {
    /// `len` items at the start of the array.
    Inline(u8, [T; N]),
    /// Longer lists.
    Heap(Vec<T>),
}

impl<T: Copy + Default, const N: usize> Small<T, N> {
    /// No item (`zero` fills the unused slots: a constant, where `T::default()` is not).
    pub(crate) const fn empty(zero: T) -> Small<T, N> {
        Small::Inline(0, [zero; N])
    }

    /// `len` copies of `value`.
    pub(crate) fn filled(value: T, len: usize) -> Small<T, N> {
        match u8::try_from(len) {
            Ok(short) if len <= N => Small::Inline(short, [value; N]),
            _ => Small::Heap(vec![value; len]),
        }
    }

    /// Puts `below` default items before the list and `above` after it.
    pub(crate) fn grow(&mut self, below: usize, above: usize) {
        let len = self.len();
        let new_len = len + below + above;
        match (self, u8::try_from(new_len)) {
            (Small::Inline(stored, items), Ok(short)) if new_len <= N => {
                items.copy_within(..len, below);
                items[..below].fill(T::default());
                items[below + len..new_len].fill(T::default());
                *stored = short;
            }
            (list, _) => {
                let mut grown = vec![T::default(); new_len];
                grown[below..below + len].copy_from_slice(list);
                *list = Small::Heap(grown);
            }
        }
    }

    /// Keeps only the items `low..high`, inline again when they fit.
    pub(crate) fn keep(&mut self, low: usize, high: usize) {
        match self {
            Small::Heap(items) if high - low > N => {
                items.truncate(high);
                items.drain(..low);
            }
            list => *list = Small::from(&list[low..high]),
        }
    }
}

impl<T: Copy + Default, const N: usize> Deref for Small<T, N> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        match self {
            Small::Inline(len, items) => &items[..usize::from(*len)],
            Small::Heap(items) => items,
        }
    }
}

impl<T: Copy + Default, const N: usize> DerefMut for Small<T, N> {
    fn deref_mut(&mut self) -> &mut [T] {
        match self {
            Small::Inline(len, items) => &mut items[..usize::from(*len)],
            Small::Heap(items) => items,
        }
    }
}

impl<T: Copy + Default, const N: usize> From<&[T]> for Small<T, N> {
    fn from(items: &[T]) -> Small<T, N> {
        let mut out = Small::filled(T::default(), items.len());
        out.copy_from_slice(items);
        out
    }
}

impl<T: Copy + Default, const N: usize> From<Vec<T>> for Small<T, N> {
    fn from(items: Vec<T>) -> Small<T, N> {
        if items.len() <= N {
            Small::from(items.as_slice())
        } else {
            Small::Heap(items)
        }
    }
}

impl<T: Copy + Default, const N: usize> FromIterator<T> for Small<T, N> {
    /// Inline while the items fit, without a heap list on the way.
    fn from_iter<I: IntoIterator<Item = T>>(items: I) -> Small<T, N> {
        let mut inline = [T::default(); N];
        let mut items = items.into_iter();
        for len in 0..=N {
            match items.next() {
                None => return Small::Inline(u8::try_from(len).unwrap_or(u8::MAX), inline),
                Some(item) if len < N => inline[len] = item,
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

impl<'a, T: Copy + Default, const N: usize> IntoIterator for &'a Small<T, N> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<T: Copy + Default + std::fmt::Debug, const N: usize> std::fmt::Debug for Small<T, N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

// By the items: slots past an inline list's length are not part of it.
impl<T: Copy + Default + PartialEq, const N: usize> PartialEq for Small<T, N> {
    fn eq(&self, other: &Small<T, N>) -> bool {
        **self == **other
    }
}

impl<T: Copy + Default + Eq, const N: usize> Eq for Small<T, N> {}

impl<T: Copy + Default + PartialEq, const N: usize> PartialEq<Vec<T>> for Small<T, N> {
    fn eq(&self, other: &Vec<T>) -> bool {
        **self == **other
    }
}

impl<T: Copy + Default + PartialEq, const N: usize, const M: usize> PartialEq<[T; M]>
    for Small<T, N>
{
    fn eq(&self, other: &[T; M]) -> bool {
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

    #[test]
    fn grown_and_kept_lists_hold_the_items_between() {
        // Items 1..=3 grown by zeros on both sides, inline and past the inline room, then cut
        // back: the same as building those lists directly, and inline again once they fit.
        let mut list: Small<i64, 4> = Small::empty(0);
        list.grow(0, 3);
        list.copy_from_slice(&[1, 2, 3]);
        list.grow(1, 0);
        assert_eq!(list, [0, 1, 2, 3]);
        assert!(matches!(list, Small::Inline(..)));
        list.grow(2, 1);
        assert_eq!(list, [0, 0, 0, 1, 2, 3, 0]);
        assert!(matches!(list, Small::Heap(_)));
        list.keep(1, 6);
        assert_eq!(list, [0, 0, 1, 2, 3]);
        assert!(matches!(list, Small::Heap(_)));
        list.keep(2, 5);
        assert_eq!(list, [1, 2, 3]);
        assert!(matches!(list, Small::Inline(..)));
        list.keep(1, 1);
        assert!(list.is_empty());
    }
}
