//! The rulebooks shipped inside the binary, so `parkcheck check` works from any directory.

/// `(file name, text)` of each bundled rulebook, in `rules/`.
pub const BUNDLED: &[(&str, &str)] = &[
    (
        "rules/zj-form.yaml",
        include_str!("../../rules/zj-form.yaml"),
    ),
    ("rules/size.yaml", include_str!("../../rules/size.yaml")),
    (
        "rules/evaluation.yaml",
        include_str!("../../rules/evaluation.yaml"),
    ),
    (
        "rules/zj-recognition.yaml",
        include_str!("../../rules/zj-recognition.yaml"),
    ),
    ("rules/star.yaml", include_str!("../../rules/star.yaml")),
    ("rules/land.yaml", include_str!("../../rules/land.yaml")),
    (
        "rules/jx-standard.yaml",
        include_str!("../../rules/jx-standard.yaml"),
    ),
    (
        "rules/jx-filing.yaml",
        include_str!("../../rules/jx-filing.yaml"),
    ),
    (
        "rules/jx-upstairs.yaml",
        include_str!("../../rules/jx-upstairs.yaml"),
    ),
];
