use cxm_core::{nps, Missing, NpsMethod};

fn main() -> Result<(), cxm_core::Error> {
    let scores: [u8; 10] = [10, 9, 9, 8, 7, 6, 3, 10, 9, 5];
    let result = nps(&scores, None, Missing::Reject)?;
    assert_eq!((result.promoters, result.passives, result.detractors), (5, 2, 3));
    let ci = result.confidence_interval(0.95, NpsMethod::AdjustedWald)?;
    println!(
        "NPS {:.1} ± {:.1} (95% CI {:.1} to {:.1})",
        result.score, result.standard_error, ci.lower, ci.upper
    );

    let err = nps(&[9_i64, 11], None, Missing::Reject).unwrap_err();
    assert_eq!(err.to_string(), "score 11 at index 1 is outside 0..=10");
    Ok(())
}
