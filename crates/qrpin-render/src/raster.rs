//! Rasterising arbitrary SVG (badges, Graph's `binaryValue`) with resvg, safely.
