use std::time::Instant;
use qrpin_render::*;
fn main() {
    let p1 = "ms-qrpin:v1|admin@xpfq8.onmicrosoft.com|44f2f040-ea9d-4283-9e7b-b63ddae391a9";
    let p2 = "ms-qrpin:v1|firstname.lastname-with.a.rather.long_local.part-0123456789abcde@averyveryverylongtenantname12345.onmicrosoft.com|44f2f040-ea9d-4283-9e7b-b63ddae391a9";
    for (n, p) in [("P1", p1), ("P2", p2)] {
        for ecl in Ecl::ALL {
            for mask in [None, Some(0u8)] {
                let o = EncodeOptions { ecl, version: None, mask };
                let m = QrMatrix::encode(p.as_bytes(), &o).unwrap();
                let t = Instant::now();
                let k = 20000;
                for _ in 0..k { std::hint::black_box(QrMatrix::encode(std::hint::black_box(p.as_bytes()), &o).unwrap()); }
                println!("{n} {ecl} v{} mask {:?}: {:.2} us", m.version(), mask, t.elapsed().as_secs_f64() * 1e6 / k as f64);
            }
        }
    }
}
