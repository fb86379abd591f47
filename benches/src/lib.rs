//! Shared helpers for qrpin's benchmarks and round-trip checker.
