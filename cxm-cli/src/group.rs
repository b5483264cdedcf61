//! Splits the rows by the value of a label column.

use std::collections::BTreeMap;

/// The rows of each distinct label, in the order the labels sort; rows keep file order.
pub fn by_label(labels: &[String]) -> BTreeMap<&str, Vec<usize>> {
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (row, label) in labels.iter().enumerate() {
        groups.entry(label.as_str()).or_default().push(row);
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_in_label_order() {
        let labels: Vec<String> = ["Q3", "Q2", "Q3"].map(String::from).into();
        let groups = by_label(&labels);
        assert_eq!(groups.into_iter().collect::<Vec<_>>(), [("Q2", vec![1]), ("Q3", vec![0, 2])]);
    }
}
