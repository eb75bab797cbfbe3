package report_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"motcua/app"
	"motcua/internal/testgen"
	"motcua/report"
)

var updatePNG = flag.Bool("png", false, "render page 1 of each PDF into testdata/*.png for review")

var agency = app.Agency{Code: "000.00.01.H56", Name: "UBND xã Tân Lập", GoverningBody: "UBND tỉnh Thanh Hóa", Place: "Tân Lập"}

func vn(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, app.Vietnam) }

// sampleReport is the June 2025 table of app's hand-computed test, by
// procedure, with a zero row and an NFD-encoded procedure name.
func sampleReport(by app.GroupBy) *app.Report {
	rep := &app.Report{Agency: agency, Period: app.PeriodMonth(2025, 6, 15), By: by,
		AsOf: vn(2025, 6, 15), MadeAt: time.Date(2025, 6, 20, 15, 0, 0, 0, app.Vietnam)}
	if by == app.ByProcedure {
		rep.Rows = []app.ReportRow{
			{Key: "2.000815", Name: "Chứng thực bản sao từ bản chính giấy tờ, văn bản", Field: "Chứng thực", NewOnline: 1, NewOther: 2, Early: 1, OnTime: 1, OpenOverdue: 1},
			{Key: "2.000884", Name: "Chứng thực chữ ký trong giấy tờ, văn bản", Field: "Chứng thực"},
			{Key: "1.004194", Name: "Đăng ký tạm trú", Field: "Cư trú", CarriedOver: 1, NewOther: 2, OpenOverdue: 2, Supplement: 1, Stopped: 1},
			{Key: "1.004873", Name: norm.NFD.String("Cấp Giấy xác nhận tình trạng hôn nhân"), Field: "Hộ tịch", CarriedOver: 4, NewOnline: 1, NewOther: 2, OnTime: 1, Late: 2, OpenWithin: 1, OpenOverdue: 1, Supplement: 1, Withdrawn: 2},
		}
	} else {
		rep.Rows = []app.ReportRow{
			{Key: "Chứng thực", Name: "Chứng thực", Field: "Chứng thực", NewOnline: 1, NewOther: 2, Early: 1, OnTime: 1, OpenOverdue: 1},
			{Key: "Cư trú", Name: "Cư trú", Field: "Cư trú", CarriedOver: 1, NewOther: 2, OpenOverdue: 2, Supplement: 1, Stopped: 1},
			{Key: "Hộ tịch", Name: "Hộ tịch", Field: "Hộ tịch", CarriedOver: 4, NewOnline: 1, NewOther: 2, OnTime: 1, Late: 2, OpenWithin: 1, OpenOverdue: 1, Supplement: 1, Withdrawn: 2},
		}
	}
	rep.Total = app.ReportRow{Name: "Tổng cộng", CarriedOver: 5, NewOnline: 2, NewOther: 6, Early: 1, OnTime: 2, Late: 2, OpenWithin: 1, OpenOverdue: 4, Supplement: 2, Stopped: 1, Withdrawn: 2}
	return rep
}

func openXLSX(t *testing.T, b []byte) (*excelize.File, string) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f, f.GetSheetName(0)
}

// rowValues returns the cells of a row as text.
func rowValues(t *testing.T, f *excelize.File, sheet string, row int) []string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if row > len(rows) {
		t.Fatalf("no row %d (%d rows)", row, len(rows))
	}
	return rows[row-1]
}

func TestStatisticsXLSX(t *testing.T) {
	b, err := report.StatisticsXLSX(sampleReport(app.ByProcedure))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(t.TempDir(), "thong-ke.xlsx"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	f, sh := openXLSX(t, b)
	if sh != "Thống kê" {
		t.Errorf("sheet %q", sh)
	}
	get := func(c string) string {
		v, err := f.GetCellValue(sh, c)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for c, want := range map[string]string{
		"A1": "UBND TỈNH THANH HÓA", "A2": "UBND XÃ TÂN LẬP", "L1": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
		"L2": "Độc lập - Tự do - Hạnh phúc", "L3": "Tân Lập, ngày 20 tháng 6 năm 2025",
		"A5": app.ReportTitle, "A6": "Kỳ báo cáo: Tháng 6 năm 2025 (từ ngày 15/05/2025 đến ngày 14/06/2025)",
		"A9": "STT", "B9": "Lĩnh vực, thủ tục hành chính", "C9": "Số hồ sơ nhận giải quyết", "G9": "Số hồ sơ đã giải quyết",
		"K9": "Số hồ sơ đang giải quyết", "C10": "Tổng số", "D10": "Trong đó", "D11": "Số kỳ trước chuyển qua",
		"E11": "Số mới tiếp nhận trực tuyến", "F11": "Số mới tiếp nhận trực tiếp, bưu chính", "H10": "Trước hạn",
		"L10": "Trong hạn", "M10": "Quá hạn", "C12": "(3)=(4)+(5)+(6)",
	} {
		if got := get(c); got != want {
			t.Errorf("%s = %q, want %q", c, got, want)
		}
	}
	merged, err := f.GetMergeCells(sh)
	if err != nil {
		t.Fatal(err)
	}
	var ranges []string
	for _, m := range merged {
		ranges = append(ranges, m.GetStartAxis()+":"+m.GetEndAxis())
	}
	for _, want := range []string{"A9:A11", "B9:B11", "C9:F9", "C10:C11", "D10:F10", "G9:J9", "K9:M9", "N9:N11", "Q9:Q11", "A5:Q5"} {
		if !slices.Contains(ranges, want) {
			t.Errorf("no merged range %s in %v", want, ranges)
		}
	}
	// Body: field I (Chứng thực) subtotal, its 2 procedures, II Cư trú, 1, III Hộ tịch, 1, total.
	want := [][]string{
		{"I", "Lĩnh vực Chứng thực", "3", "0", "1", "2", "2", "1", "1", "0", "1", "0", "1", "0", "0", "0", "100.0"},
		{"1", "Chứng thực bản sao từ bản chính giấy tờ, văn bản (2.000815)", "3", "0", "1", "2", "2", "1", "1", "0", "1", "0", "1", "0", "0", "0", "100.0"},
		{"2", "Chứng thực chữ ký trong giấy tờ, văn bản (2.000884)", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "-"},
		{"II", "Lĩnh vực Cư trú", "3", "1", "0", "2", "0", "0", "0", "0", "2", "0", "2", "1", "1", "0", "-"},
		{"1", "Đăng ký tạm trú (1.004194)", "3", "1", "0", "2", "0", "0", "0", "0", "2", "0", "2", "1", "1", "0", "-"},
		{"III", "Lĩnh vực Hộ tịch", "7", "4", "1", "2", "3", "0", "1", "2", "2", "1", "1", "1", "0", "2", "33.3"},
		{"1", "Cấp Giấy xác nhận tình trạng hôn nhân (1.004873)", "7", "4", "1", "2", "3", "0", "1", "2", "2", "1", "1", "1", "0", "2", "33.3"},
		{"", "Tổng cộng", "13", "5", "2", "6", "5", "1", "2", "2", "5", "1", "4", "2", "1", "2", "60.0"},
	}
	for i, w := range want {
		got := rowValues(t, f, sh, 13+i)
		if !slices.Equal(got, w) {
			t.Errorf("row %d:\n got %q\nwant %q", 13+i, got, w)
		}
	}
	// Figures are numbers, not text: the receiving office adds reports up.
	if typ, _ := f.GetCellType(sh, "C20"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("C20 type %v", typ)
	}
	if v, _ := f.GetCellValue(sh, "C20", excelize.Options{RawCellValue: true}); v != "13" {
		t.Errorf("raw total %q", v)
	}
	sig := rowValues(t, f, sh, 23)
	if sig[0] != "NGƯỜI LẬP BIỂU" || sig[11] != "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ" {
		t.Errorf("signatures %q", sig)
	}
}

func TestStatisticsXLSXByField(t *testing.T) {
	rep := sampleReport(app.ByField)
	rep.Provisional, rep.AsOf = true, vn(2025, 6, 11)
	b, err := report.StatisticsXLSX(rep)
	if err != nil {
		t.Fatal(err)
	}
	f, sh := openXLSX(t, b)
	if v, _ := f.GetCellValue(sh, "B9"); v != "Lĩnh vực" {
		t.Errorf("B9 %q", v)
	}
	if v, _ := f.GetCellValue(sh, "A7"); v != "(Số liệu tạm tính đến hết ngày 10/06/2025)" {
		t.Errorf("A7 %q", v)
	}
	for i, w := range [][]string{{"1", "Chứng thực", "3"}, {"2", "Cư trú", "3"}, {"3", "Hộ tịch", "7"}, {"", "Tổng cộng", "13"}} {
		if got := rowValues(t, f, sh, 13+i); !slices.Equal(got[:3], w) {
			t.Errorf("row %d: %q, want %q…", 13+i, got, w)
		}
	}
}

// pdfText returns pdftotext's reading of the PDF, whitespace collapsed.
func pdfText(t *testing.T, pdf []byte, args ...string) string {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "r.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", append(append([]string{"-layout"}, args...), in, "-")...).Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

func renderPNG(t *testing.T, pdf []byte, name string) {
	t.Helper()
	if !*updatePNG {
		return
	}
	in := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "1", "-singlefile", in, filepath.Join("testdata", name)).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
}

func TestStatisticsPDF(t *testing.T) {
	b, err := report.StatisticsPDF(sampleReport(app.ByProcedure))
	if err != nil {
		t.Fatal(err)
	}
	txt := pdfText(t, b)
	for _, want := range []string{
		"UBND TỈNH THANH HÓA", "UBND XÃ TÂN LẬP", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
		"Tân Lập, ngày 20 tháng 6 năm 2025",
		"TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC",
		"Kỳ báo cáo: Tháng 6 năm 2025 (từ ngày 15/05/2025 đến ngày 14/06/2025)",
		"Số hồ sơ nhận giải quyết", "Số hồ sơ đã giải quyết", "Số hồ sơ đang giải quyết", "Tỷ lệ giải",
		"I Lĩnh vực Chứng thực 3 0 1 2 2 1 1 0 1 0 1 0 0 0 100,0",
		"Đăng ký tạm trú (1.004194) 3 1 0 2 0 0 0 0 2 0 2 1 1 0 -",
		"1 7 4 1 2 3 0 1 2 2 1 1 1 0 2 33,3",
		"Tổng cộng 13 5 2 6 5 1 2 2 5 1 4 2 1 2 60,0",
		"NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ", "Trang 1/1",
	} {
		if !strings.Contains(txt, want) {
			t.Errorf("PDF text lacks %q\n%s", want, txt)
		}
	}
	renderPNG(t, b, "statistics")
}

// TestStatisticsPDFManyRows: a long table breaks over pages with its header
// repeated and the signatures kept together.
func TestStatisticsPDFManyRows(t *testing.T) {
	rep := sampleReport(app.ByProcedure)
	rep.Rows = nil
	rep.Total = app.ReportRow{}
	for i := range 60 {
		r := app.ReportRow{Key: fmt.Sprintf("1.%06d", i), Name: fmt.Sprintf("Thủ tục số %d về đăng ký, cấp đổi giấy tờ hộ tịch có tên rất dài cần xuống dòng", i),
			Field: []string{"Chứng thực", "Cư trú", "Hộ tịch"}[i/20], NewOther: i, Early: i / 2, OpenWithin: i - i/2}
		rep.Rows = append(rep.Rows, r)
		rep.Total.NewOther += r.NewOther
		rep.Total.Early += r.Early
		rep.Total.OpenWithin += r.OpenWithin
	}
	b, err := report.StatisticsPDF(rep)
	if err != nil {
		t.Fatal(err)
	}
	pages := regexp.MustCompile(`Trang (\d+)/(\d+)`).FindAllStringSubmatch(pdfText(t, b), -1)
	if len(pages) < 3 || pages[0][2] != fmt.Sprint(len(pages)) {
		t.Fatalf("pages %v", pages)
	}
	for p := 2; p <= len(pages); p++ {
		txt := pdfText(t, b, "-f", fmt.Sprint(p), "-l", fmt.Sprint(p))
		if p < len(pages) && !strings.Contains(txt, "Số hồ sơ nhận giải quyết") {
			t.Errorf("page %d has no table header", p)
		}
		if p == len(pages) && (!strings.Contains(txt, "NGƯỜI LẬP BIỂU") || !strings.Contains(txt, "(Ký tên, đóng dấu)")) {
			t.Errorf("last page lacks the signatures: %s", txt)
		}
	}
	renderPNG(t, b, "statistics-long")
	if !strings.Contains(pdfText(t, b), fmt.Sprintf("Tổng cộng %d 0 0 %d", rep.Total.NewOther, rep.Total.NewOther)) {
		t.Errorf("total row missing")
	}
}

func TestRegisterXLSX(t *testing.T) {
	ds := testgen.Dossiers(200, 3, agency.Code)[:40]
	d := &ds[5]
	d.Applicant.FullName = norm.NFD.String("Nguyễn Thị Ánh Hằng")
	d.Delays = []app.Delay{{N: 1, NewDue: time.Date(2023, 2, 20, 17, 0, 0, 0, app.Vietnam)}}
	d.Transfers = []app.TransferRef{{ID: "t1", ToAgency: "000.00.00.H56", ToName: "Công an tỉnh Thanh Hóa", CreatedAt: d.ReceivedAt.Add(time.Hour)}}
	b, err := report.RegisterXLSX(agency, vn(2023, 1, 1), vn(2023, 1, 31), ds, "01")
	if err != nil {
		t.Fatal(err)
	}
	f, sh := openXLSX(t, b)
	get := func(c string) string { v, _ := f.GetCellValue(sh, c); return v }
	if get("A1") != app.PersonalDataNotice {
		t.Errorf("first row %q: does not say the file holds personal data", get("A1"))
	}
	if get("A6") != "SỔ THEO DÕI HỒ SƠ" || get("A7") != "Quyển số: 01 - Từ ngày 01/01/2023 đến ngày 31/01/2023" {
		t.Errorf("title %q / %q", get("A6"), get("A7"))
	}
	head := rowValues(t, f, sh, 9)
	wantHead := []string{"STT", "Mã hồ sơ", "Tên thủ tục hành chính", "Số lượng hồ sơ (bộ)", "Tên cá nhân, tổ chức", "Địa chỉ, số điện thoại",
		"Cơ quan chủ trì giải quyết", "Nhận hồ sơ (ngày, giờ)", "Hẹn trả kết quả (ngày, giờ)", "Chuyển hồ sơ đến cơ quan giải quyết",
		"Nhận kết quả từ cơ quan giải quyết", "Trả kết quả", "", "Ghi chú"}
	if !slices.Equal(head, wantHead) {
		t.Errorf("header\n got %q\nwant %q", head, wantHead)
	}
	if sub := rowValues(t, f, sh, 10); len(sub) < 13 || sub[11] != "Ngày, giờ" || sub[12] != "Ký nhận" {
		t.Errorf("sub-header %q", sub)
	}
	r0 := rowValues(t, f, sh, 11)
	if r0[1] != ds[0].Code || r0[2] != ds[0].ProcedureCode+" - "+ds[0].ProcedureName || r0[7] != ds[0].ReceivedAt.Format("02/01/2006 15:04") {
		t.Errorf("first row %q", r0)
	}
	r5 := rowValues(t, f, sh, 16)
	if r5[4] != "Nguyễn Thị Ánh Hằng" || r5[6] != "Công an tỉnh Thanh Hóa" || !strings.Contains(r5[13], "Hẹn lại ngày 20/02/2023") ||
		!strings.HasPrefix(r5[9], "Công an tỉnh Thanh Hóa\n") {
		t.Errorf("row with transfer and delay %q", r5)
	}
	if got := get(fmt.Sprintf("A%d", 11+len(ds)+1)); got != "Tổng số: 40 hồ sơ" {
		t.Errorf("total line %q", got)
	}
}

// TestStatisticsPDFPrintsDigest: the office's daily digest is in the footer
// of every page, beside the page number.
func TestStatisticsPDFPrintsDigest(t *testing.T) {
	rep := sampleReport(app.ByProcedure)
	rep.Digest = &app.DailyDigest{Date: "2025-06-14", Chains: 12,
		Digest: "9c2f5e81d04b7a36e5c1f09d8b2a47e6c3d5f7a9b1e2c4d6f8a0b2c4d6e8f0a1"}
	b, err := report.StatisticsPDF(rep)
	if err != nil {
		t.Fatal(err)
	}
	txt := pdfText(t, b)
	want := "Dấu tổng hợp dữ liệu đến ngày 14/06/2025: 9c2f5e81d04b7a36e5c1f09d8b2a47e6c3d5f7a9b1e2c4d6f8a0b2c4d6e8f0a1 Trang 1/1"
	if !strings.Contains(txt, want) {
		t.Errorf("PDF text lacks %q\n%s", want, txt)
	}
	if os.Getenv("MOTCUA_PNG_DIR") != "" {
		in := filepath.Join(t.TempDir(), "r.pdf")
		os.WriteFile(in, b, 0o644)
		exec.Command("pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "1", "-singlefile", in, filepath.Join(os.Getenv("MOTCUA_PNG_DIR"), "statistics-digest")).Run()
	}
}

// TestStatisticsPDFRefusedOnline: the online submissions refused in the
// period are counted under the table, apart from the received columns.
func TestStatisticsPDFRefusedOnline(t *testing.T) {
	rep := sampleReport(app.ByField)
	rep.RefusedOnline = 2
	b, err := report.StatisticsPDF(rep)
	if err != nil {
		t.Fatal(err)
	}
	txt := pdfText(t, b)
	if !strings.Contains(txt, "Hồ sơ trực tuyến bị từ chối tiếp nhận trong kỳ (không tính vào số tiếp nhận): 2") {
		t.Errorf("no refusal count:\n%s", txt)
	}
	renderPNG(t, b, "statistics-refused-online")
	rep.RefusedOnline = 0
	if b, err = report.StatisticsPDF(rep); err != nil || strings.Contains(pdfText(t, b), "từ chối tiếp nhận trong kỳ") {
		t.Errorf("a period without refusals prints the line: %v", err)
	}
}

// TestRegisterXLSXDigest: the register carries the daily digest under the
// total and in the printed page footer.
func TestRegisterXLSXDigest(t *testing.T) {
	ds := testgen.Dossiers(50, 3, agency.Code)[:5]
	line := (&app.DailyDigest{Date: "2023-01-31", Digest: "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"}).FooterLine()
	b, err := report.RegisterXLSXDigest(agency, vn(2023, 1, 1), vn(2023, 1, 31), ds, "01", line)
	if err != nil {
		t.Fatal(err)
	}
	f, sh := openXLSX(t, b)
	if got, _ := f.GetCellValue(sh, fmt.Sprintf("A%d", 10+len(ds)+3)); got != line ||
		line != "Dấu tổng hợp dữ liệu đến ngày 31/01/2023: 0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0" {
		t.Errorf("digest line %q", got)
	}
	hf, err := f.GetHeaderFooter(sh)
	if err != nil || !strings.Contains(hf.OddFooter, line) {
		t.Errorf("footer %+v %v", hf, err)
	}
}
