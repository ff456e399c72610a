import HubCore
import HubStorage
import Testing

@Suite struct CustomerCSVTests {
    let normaliser = IdentityNormaliser(defaultRegion: "US")

    @Test func quotedFieldsLineBreaksAndByteOrderMark() throws {
        let records = try CSVReader.records("\u{FEFF}a,b\r\n\"x, \"\"y\"\"\",\"two\nlines\"\r\n\n3,\n")
        #expect(
            records == [
                CSVReader.Record(line: 1, fields: ["a", "b"]), CSVReader.Record(line: 2, fields: ["x, \"y\"", "two\nlines"]),
                CSVReader.Record(line: 5, fields: ["3", ""]),
            ])
        #expect(throws: CSVReader.Malformed(line: 2, message: "a quoted field is never closed")) {
            try CSVReader.records("a\n\"open\n")
        }
        #expect(throws: CSVReader.Malformed(line: 1, message: "text after a closing quote")) { try CSVReader.records("\"a\"b,c") }
    }

    @Test func rowsAreCheckedWithLineAndColumn() throws {
        let text = """
            Full Name,E-mail,Phone,id,Notes
            Ann Lee,ANN@example.com,(415) 555-0100,17,vip
            Bob,bob@,,,
            Cy,,415 555,,
            Di,,,
            ,,,,
            Ed,,,,
            """
        let parsed = try CustomerCSV.parse(text, normaliser: normaliser, source: "crm", verified: true)
        #expect(parsed.ignoredColumns == ["Notes"])
        #expect(parsed.rows.count == 1)
        #expect(parsed.rows.first?.name == "Ann Lee")
        #expect(
            parsed.rows.first?.keys == [
                IdentityKey(kind: .email, value: "ann@example.com", verified: true),
                IdentityKey(kind: .phone, value: "+14155550100", verified: true),
                IdentityKey(kind: .externalID, value: "crm:17", verified: true),
            ])
        #expect(
            parsed.problems.map(\.description) == [
                "line 3, column email: 'bob@' is not an email address",
                "line 4, column phone: '415 555' is not a phone number in region US",
                "line 5, column -: 4 fields, the header has 5",
                "line 7, column email: the row has no email, phone, wechat_openid or external_id",
            ])
        #expect(throws: CSVReader.Malformed.self) {
            try CustomerCSV.parse("name,notes\nAnn,x\n", normaliser: normaliser, source: "crm", verified: true)
        }
    }
}
