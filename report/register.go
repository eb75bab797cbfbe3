package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"motcua/app"
	"motcua/forms/pdfkit"
)

// registerHead is the header of form 07 (Sổ theo dõi hồ sơ, domain.md §6):
// 14 columns, "Trả kết quả" split into the date and the signature.
var registerHead = []pdfkit.HeadCell{
	{Row: 0, Col: 0, Rows: 2, Cols: 1, Text: "STT"},
	{Row: 0, Col: 1, Rows: 2, Cols: 1, Text: "Mã hồ sơ"},
	{Row: 0, Col: 2, Rows: 2, Cols: 1, Text: "Tên thủ tục hành chính"},
	{Row: 0, Col: 3, Rows: 2, Cols: 1, Text: "Số lượng hồ sơ (bộ)"},
	{Row: 0, Col: 4, Rows: 2, Cols: 1, Text: "Tên cá nhân, tổ chức"},
	{Row: 0, Col: 5, Rows: 2, Cols: 1, Text: "Địa chỉ, số điện thoại"},
	{Row: 0, Col: 6, Rows: 2, Cols: 1, Text: "Cơ quan chủ trì giải quyết"},
	{Row: 0, Col: 7, Rows: 2, Cols: 1, Text: "Nhận hồ sơ (ngày, giờ)"},
	{Row: 0, Col: 8, Rows: 2, Cols: 1, Text: "Hẹn trả kết quả (ngày, giờ)"},
	{Row: 0, Col: 9, Rows: 2, Cols: 1, Text: "Chuyển hồ sơ đến cơ quan giải quyết"},
	{Row: 0, Col: 10, Rows: 2, Cols: 1, Text: "Nhận kết quả từ cơ quan giải quyết"},
	{Row: 0, Col: 11, Rows: 1, Cols: 2, Text: "Trả kết quả"},
	{Row: 1, Col: 11, Rows: 1, Cols: 1, Text: "Ngày, giờ"},
	{Row: 1, Col: 12, Rows: 1, Cols: 1, Text: "Ký nhận"},
	{Row: 0, Col: 13, Rows: 2, Cols: 1, Text: "Ghi chú"},
}

var registerWidths = []float64{6, 26, 32, 9, 24, 30, 22, 16, 16, 24, 16, 16, 12, 22}

func dateTimeCell(t time.Time) string { return app.ShortDateTime(t) }

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

// registerCells is one register row, as the printed form 07 shows it.
func registerCells(ag app.Agency, i int, d *app.Dossier) []string {
	no := d.RegisterRow
	if no == 0 {
		no = i + 1
	}
	agency, transfer := ag.Name, ""
	if n := len(d.Transfers); n > 0 {
		tr := d.Transfers[n-1]
		agency = joinNonEmpty("", tr.ToName)
		if agency == "" {
			agency = tr.ToAgency
		}
		transfer = joinNonEmpty("\n", agency, dateTimeCell(tr.CreatedAt))
	} else if len(d.Legs) > 0 {
		l := d.Legs[0]
		transfer = joinNonEmpty("\n", l.ToUnit, dateTimeCell(l.At))
	}
	result := ""
	if d.Result != nil && !d.Result.RecordedAt.IsZero() {
		result = dateTimeCell(d.Result.RecordedAt)
	} else if d.State.Finished() {
		result = dateTimeCell(d.FinishedAt)
	}
	note := d.State.Label()
	if n := len(d.Delays); n > 0 {
		note = joinNonEmpty("; ", note, "Hẹn lại ngày "+app.ShortDate(d.Delays[n-1].NewDue))
	}
	if d.RefuseReason != "" {
		note = joinNonEmpty(": ", note, d.RefuseReason)
	}
	return []string{fmt.Sprint(no), d.Code, joinNonEmpty(" - ", d.ProcedureCode, d.ProcedureName), fmt.Sprint(max(d.Sets, 1)),
		d.Applicant.FullName, joinNonEmpty("\n", d.Applicant.Address, d.Applicant.Phone), agency,
		dateTimeCell(d.ReceivedAt), dateTimeCell(d.DueAt), transfer, result, dateTimeCell(d.ReturnedAt), "", note}
}

// RegisterXLSX exports the register of dossiers (Sổ theo dõi hồ sơ, form 07)
// as a workbook: the office header, the title with the book number and the
// period (first and last day shown as given), the two-row header and one
// row per dossier in the order given (app.Service.RegisterDossiers gives
// receipt order).
func RegisterXLSX(ag app.Agency, first, last time.Time, rows []app.Dossier, bookNo string) ([]byte, error) {
	return RegisterXLSXDigest(ag, first, last, rows, bookNo, "")
}

// RegisterXLSXDigest is RegisterXLSX with the office's daily digest
// (app.DailyDigest.FooterLine) under the total and in the printed footer.
func RegisterXLSXDigest(ag app.Agency, first, last time.Time, rows []app.Dossier, bookNo, digest string) ([]byte, error) {
	b := newBook("Sổ theo dõi hồ sơ")
	n := len(registerWidths)
	for i, w := range registerWidths {
		b.check(b.f.SetColWidth(b.sheet, colName(i+1), colName(i+1), w))
	}
	b.officeHeader(ag, "", 3, 9, n)
	b.text(1, 5, n, 5, "SỔ THEO DÕI HỒ SƠ", b.style("BC", 14, ""))
	sub := fmt.Sprintf("Từ ngày %s đến ngày %s", app.ShortDate(first), app.ShortDate(last))
	if bookNo != "" {
		sub = "Quyển số: " + bookNo + " - " + sub
	}
	b.text(1, 6, n, 6, sub, b.style("IC", 12, ""))
	const headRow = 8
	head := b.style("BCWX", 11, "")
	for _, c := range registerHead {
		b.text(c.Col+1, headRow+c.Row, c.Col+c.Cols, headRow+c.Row+c.Rows-1, c.Text, head)
	}
	b.check(b.f.SetRowHeight(b.sheet, headRow, 30))
	b.check(b.f.SetRowHeight(b.sheet, headRow+1, 30))
	body, centre := b.style("WXT", 11, ""), b.style("CWXT", 11, "")
	row := headRow + 2
	for i := range rows {
		for c, s := range registerCells(ag, i, &rows[i]) {
			st := body
			if c == 0 || c == 3 || c == 7 || c == 8 || c == 10 || c == 11 {
				st = centre
			}
			b.text(c+1, row, c+1, row, s, st)
		}
		row++
	}
	b.text(1, row+1, n, row+1, fmt.Sprintf("Tổng số: %d hồ sơ", len(rows)), b.style("B", 12, ""))
	if digest = app.NFC(digest); digest != "" {
		b.text(1, row+2, n, row+2, digest, b.style("I", 9, ""))
		b.check(b.f.SetHeaderFooter(b.sheet, &excelize.HeaderFooterOptions{
			OddFooter: "&L&8" + strings.ReplaceAll(digest, "&", "&&") + "&R&8Trang &P/&N"}))
	}
	b.check(b.f.SetPanes(b.sheet, &excelize.Panes{Freeze: true, YSplit: headRow + 1, TopLeftCell: cell(1, headRow+2), ActivePane: "bottomLeft"}))
	b.landscape("$8:$9", 0.3)
	return b.output()
}
