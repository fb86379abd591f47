use super::*;

const G1: &str = "44f2f040-ea9d-4283-9e7b-b63ddae391a9";
const G2: &str = "0b4c5a57-3d39-4e0a-9a8f-6f6d0d1c2b3a";

fn all(input: &str, format: InputFormat) -> Vec<Result<Row, RowError>> {
    let mut r = RowReader::new(input.as_bytes(), format).unwrap();
    let mut out = Vec::new();
    while let Some(row) = r.next_row().unwrap() {
        out.push(row);
    }
    out
}

#[test]
fn csv_rows_and_bad_rows_in_order() {
    let input = format!(
        "\u{feff}UPN,codeId,displayName,ecl,file\r\n\
         a@b.com,{G1},\"Doe, Jane\",h,jane\r\n\
         bad|upn@b.com,{G2},,,\r\n\
         \"multi\nline@b.com\",{G2},,,\r\n\
         \r\n\
         c@d.com,{G2},,,\r\n"
    );
    let rows = all(&input, InputFormat::Csv);
    assert_eq!(rows.len(), 4);
    let r0 = rows[0].as_ref().unwrap();
    assert_eq!((r0.row, r0.line), (1, 2));
    assert_eq!(r0.payload.upn(), "a@b.com");
    assert_eq!(r0.display_name.as_deref(), Some("Doe, Jane"));
    assert_eq!(r0.ecl, Some(Ecl::H));
    assert_eq!(r0.file.as_deref(), Some("jane"));
    let e1 = rows[1].as_ref().unwrap_err();
    assert_eq!((e1.row, e1.line, e1.key.as_deref()), (2, 3, Some(G2)));
    assert!(e1.message.contains("'|'"), "{e1}");
    let e2 = rows[2].as_ref().unwrap_err();
    assert_eq!((e2.row, e2.line), (3, 4));
    assert!(e2.message.contains("U+000A"), "{e2}");
    let r3 = rows[3].as_ref().unwrap();
    assert_eq!((r3.row, r3.line), (4, 7));
}

#[test]
fn hostile_csv_lines_are_bad_rows_not_failures() {
    let huge = "x,".repeat(1_000_000);
    let input = format!("upn,codeId\n{huge}\na@b.com,{G1}\n,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,\n\"open\n");
    let rows = all(&input, InputFormat::Csv);
    assert_eq!(rows.len(), 4);
    assert!(rows[0].as_ref().unwrap_err().message.contains("limit is 65536"));
    assert!(rows[1].is_ok());
    assert!(rows[2].as_ref().unwrap_err().message.contains("columns"));
    assert!(rows[3].as_ref().unwrap_err().message.contains("never closed"));
}

#[test]
fn csv_header_problems_are_fatal() {
    for (input, want) in [
        ("", "empty"),
        ("upn,name\n", "needs the columns upn and codeId"),
        ("upn,codeId,UPN\n", "appears twice"),
    ] {
        let e = RowReader::new(input.as_bytes(), InputFormat::Csv).err().unwrap();
        assert!(e.to_string().contains(want), "{input:?}: {e}");
    }
}

#[test]
fn json_lines_fields_and_graph_responses() {
    let p = format!("ms-qrpin:v1|admin@xpfq8.onmicrosoft.com|{G1}");
    let raw = crate::base64::encode(p.as_bytes());
    let graph = format!(
        r##"{{"@odata.type":"#microsoft.graph.qrCode","id":"{G1}","startDateTime":"2025-01-01T12:00:00Z","expireDateTime":"2025-12-19T12:00:00Z","image":{{"errorCorrectionLevel":"q","rawContent":"{raw}"}}}}"##
    );
    let wrong_id = graph.replacen(&format!("\"id\":\"{G1}\""), &format!("\"id\":\"{G2}\""), 1);
    let input = format!(
        "{{\"upn\":\"a@b.com\",\"codeId\":\"{G1}\",\"expireDateTime\":\"2026-12-19T00:00:00Z\"}}\n\
         {graph}\nnot json\n[1]\n{wrong_id}\n{{\"upn\":\"a@b.com\",\"codeId\":\"{G1}\",\"ecl\":\"z\"}}\n"
    );
    let rows = all(&input, InputFormat::Jsonl);
    assert_eq!(rows.len(), 6);
    let r0 = rows[0].as_ref().unwrap();
    assert_eq!(r0.expire.as_ref().unwrap().date_utc(), "2026-12-19");
    let r1 = rows[1].as_ref().unwrap();
    assert_eq!(r1.payload.as_str(), p);
    assert_eq!(r1.ecl, Some(Ecl::Q));
    assert!(r1.start.is_some());
    assert!(rows[2].as_ref().unwrap_err().message.contains("invalid JSON"));
    assert!(rows[3].as_ref().unwrap_err().message.contains("object"));
    let e4 = rows[4].as_ref().unwrap_err();
    assert_eq!(e4.key.as_deref(), Some(G2));
    assert!(e4.message.contains("not the qrCode id"));
    assert!(rows[5].as_ref().unwrap_err().message.contains("error-correction"));
}

#[test]
fn format_from_path() {
    assert_eq!(InputFormat::from_path("x/rows.CSV"), Some(InputFormat::Csv));
    assert_eq!(InputFormat::from_path("rows.jsonl"), Some(InputFormat::Jsonl));
    assert_eq!(InputFormat::from_path("rows"), None);
    assert_eq!("ndjson".parse::<InputFormat>(), Ok(InputFormat::Jsonl));
}
