//! One module per subcommand: each has an `Args` struct (or a subcommand enum) and a `run`.

pub mod encode;
pub mod graph;
pub mod parse;
pub mod pin;
