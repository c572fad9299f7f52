//! Units of area: 亩 and m².

/// Square metres per 亩: 10000 / 15 (≈ 666.67; 15 亩 = 1 公顷).
pub const M2_PER_MU: f64 = 10_000.0 / 15.0;

/// Converts 亩 to m²: `mu × 10000 / 15`.
pub fn mu_to_m2(mu: f64) -> f64 {
    mu * 10_000.0 / 15.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_mu() {
        assert_eq!(mu_to_m2(15.0), 10_000.0);
        assert!((mu_to_m2(1.0) - 666.666_666_666_7).abs() < 1e-9);
        assert_eq!(mu_to_m2(0.0), 0.0);
        assert!((mu_to_m2(256.0) - 170_666.666_666_7).abs() < 1e-6);
        assert!((M2_PER_MU - 666.666_666_666_7).abs() < 1e-9);
    }
}
