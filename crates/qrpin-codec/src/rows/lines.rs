//! Physical lines with a length limit, so one hostile line cannot exhaust memory.

use std::io::{self, BufRead};

/// The outcome of reading one line.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Line {
    /// A line (its `\n` and any `\r` before it removed) is in the buffer.
    Read,
    /// The line was longer than the limit; it was skipped up to its end. Holds its length.
    TooLong(u64),
    /// No more input.
    Eof,
}

/// Reads `\n`-terminated lines of at most `max` bytes.
pub(crate) struct Lines<R> {
    inner: R,
    max: usize,
    /// 1-based number of the last line read.
    pub(crate) number: u64,
}

impl<R: BufRead> Lines<R> {
    pub(crate) fn new(inner: R, max: usize) -> Self {
        Lines { inner, max, number: 0 }
    }

    /// Reads the next line into `buf` (cleared first).
    pub(crate) fn read(&mut self, buf: &mut Vec<u8>) -> io::Result<Line> {
        buf.clear();
        let mut total: u64 = 0;
        let mut any = false;
        loop {
            let chunk = match self.inner.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if chunk.is_empty() {
                break;
            }
            any = true;
            let (take, done) = match chunk.iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (chunk.len(), false),
            };
            let body = if done { &chunk[..take - 1] } else { &chunk[..take] };
            total += body.len() as u64;
            if total as usize <= self.max {
                buf.extend_from_slice(body);
            }
            self.inner.consume(take);
            if done {
                break;
            }
        }
        if !any {
            return Ok(Line::Eof);
        }
        self.number += 1;
        if total as usize > self.max {
            buf.clear();
            return Ok(Line::TooLong(total));
        }
        if buf.last() == Some(&b'\r') {
            buf.pop();
        }
        Ok(Line::Read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_limits_and_counts() {
        let input = b"ab\r\nlong-line-here\n\nlast";
        let mut l = Lines::new(&input[..], 5);
        let mut buf = Vec::new();
        assert_eq!(l.read(&mut buf).unwrap(), Line::Read);
        assert_eq!(buf, b"ab");
        assert_eq!(l.read(&mut buf).unwrap(), Line::TooLong(14));
        assert_eq!(l.number, 2);
        assert_eq!(l.read(&mut buf).unwrap(), Line::Read);
        assert_eq!(buf, b"");
        assert_eq!(l.read(&mut buf).unwrap(), Line::Read);
        assert_eq!(buf, b"last");
        assert_eq!(l.read(&mut buf).unwrap(), Line::Eof);
        assert_eq!(l.number, 4);
    }
}
