//! Batch rows: CSV and JSON Lines readers never panic and always make progress.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qrpin_codec::rows::{InputFormat, RowReader};

fuzz_target!(|data: &[u8]| {
    for format in [InputFormat::Csv, InputFormat::Jsonl] {
        let Ok(mut reader) = RowReader::new(data, format) else { continue };
        let mut rows = 0usize;
        while let Ok(Some(row)) = reader.next_row() {
            rows += 1;
            // Every row comes from at least one input byte.
            assert!(rows <= data.len() + 1);
            if let Ok(r) = row {
                assert!(qrpin_codec::Payload::parse(r.payload.as_str()).is_ok());
            }
        }
    }
});
