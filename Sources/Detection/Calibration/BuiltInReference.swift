extension BenignCalibration {
    /// The reference `aegis scan --target-fpr` uses when no --calibration is
    /// given: the scores of the legitimate accounts of development traffic
    /// (regenerate with evaluations/detection-calibrate.sh; docs/detection.md,
    /// "Calibration"). A provider should calibrate on its own benign traffic.
    public static let builtIn = BenignCalibration(scores: builtInScores, source: builtInSource)

    static let builtInSource = "placeholder"
    static let builtInScores: [Double] = [0]
}
