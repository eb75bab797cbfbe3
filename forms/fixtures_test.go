package forms

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"motcua/app"
)

const (
	testCode    = "000.00.01.H22-250903-0007"
	testAddress = "Số nhà 127, ngõ 45 đường Nguyễn Trãi, thôn Đông Thịnh, xã Tân Lập, tỉnh Thanh Hóa (gần Trường Tiểu học Tân Lập, đối diện cửa hàng tạp hóa Bà Nguyệt, cách Ủy ban nhân dân xã khoảng 300 mét)"
	testLookup  = "https://dichvucong.thanhhoa.gov.vn/tra-cuu"
)

func vn(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, app.Vietnam)
}

func testOffice() Office {
	return Office{
		Agency: app.Agency{Code: "000.00.01.H22", Name: "UBND xã Tân Lập", GoverningBody: "UBND tỉnh Thanh Hóa",
			Place: "Tân Lập", Phone: "0237 3812 345", Level: app.LevelCommune},
		LookupURL: testLookup,
	}
}

var (
	officer    = app.UserRef{Username: "tuyet", FullName: "Lê Thị Tuyết", Title: "Công chức Tư pháp - Hộ tịch"}
	specialist = app.UserRef{Username: "duc", FullName: "Phạm Văn Đức", Title: "Chuyên viên"}
	leader     = app.UserRef{Username: "quang", FullName: "Trần Minh Quang", Title: "PHÓ CHỦ TỊCH"}
)

// testDossier is a realistic dossier in processing, with every part filled.
func testDossier() *app.Dossier {
	return &app.Dossier{
		Code: testCode, AgencyCode: "000.00.01.H22",
		ProcedureCode: "2.000815", ProcedureName: "Chứng thực bản sao từ bản chính", Field: "Chứng thực",
		Legal:    app.LegalBasis{Text: "Nghị định số 23/2015/NĐ-CP ngày 16/02/2015 của Chính phủ về cấp bản sao từ sổ gốc, chứng thực bản sao từ bản chính"},
		TimeRule: app.TimeRule{Kind: app.TimeWorkingHours, Hours: 4},
		Channel:  app.ChannelInPerson,
		Applicant: app.Person{Kind: app.ApplicantCitizen, FullName: "Nguyễn Thị Ánh Hằng", IDType: app.IDCCCD,
			IDNumber: "038190012345", Phone: "0912345678", Email: "anhhang.nguyen@example.vn", Address: testAddress},
		Summary: "Chứng thực 05 bản sao Giấy khai sinh và 03 bản sao Bằng tốt nghiệp trung học phổ thông để bổ sung hồ sơ xin việc",
		Documents: []app.SubmittedDocument{
			{Name: "Giấy khai sinh (bản chính do Ủy ban nhân dân xã Tân Lập cấp năm 1990, kèm 05 bản chụp cần chứng thực)", Originals: 1, Photocopies: 5},
			{Name: "Bằng tốt nghiệp trung học phổ thông", Originals: 1, Photocopies: 3},
			{Name: "Căn cước công dân", Copies: 1},
		},
		Sets:         1,
		Fees:         []app.Fee{{Name: "Lệ phí chứng thực", Amount: 200000, Paid: true, ReceiptNo: "0001234"}},
		ReturnPlace:  "Bộ phận Một cửa UBND xã Tân Lập, quầy số 2",
		ReceivedAt:   vn(2025, 9, 3, 8, 5),
		DueAt:        vn(2025, 9, 3, 14, 5),
		OriginalDue:  vn(2025, 9, 3, 14, 5),
		RegisterBook: "01", RegisterRow: 128,
		State: app.StateProcessing, Status: app.StatusProcessing,
		Handler: specialist, Unit: "Công chức Tư pháp - Hộ tịch",
		Legs: []app.HandoverLeg{
			{N: 1, FromUnit: "Bộ phận Một cửa", FromUser: officer, ToUnit: "Công chức Tư pháp - Hộ tịch", ToUser: specialist,
				At: vn(2025, 9, 3, 8, 20), Deadline: vn(2025, 9, 3, 11, 0), FinishedAt: vn(2025, 9, 3, 10, 40), Outcome: app.OutcomeEarly},
			{N: 2, FromUnit: "Công chức Tư pháp - Hộ tịch", FromUser: specialist, ToUnit: "Lãnh đạo UBND xã", ToUser: leader,
				At: vn(2025, 9, 3, 10, 40), Deadline: vn(2025, 9, 3, 13, 45), FinishedAt: vn(2025, 9, 3, 13, 45), Outcome: app.OutcomeOnTime,
				Note: "Trình ký bản sao"},
			{N: 3, FromUnit: "Lãnh đạo UBND xã", FromUser: leader, ToUnit: "Bộ phận Một cửa", ToUser: officer,
				At: vn(2025, 9, 3, 14, 30), Deadline: vn(2025, 9, 3, 14, 5), FinishedAt: vn(2025, 9, 3, 14, 30), Outcome: app.OutcomeLate,
				Note: "Chậm do lãnh đạo đi họp đột xuất tại Ủy ban nhân dân tỉnh"},
		},
		Supplements: []app.SupplementRound{{N: 1,
			Items:  []string{"Bản chính Bằng tốt nghiệp trung học phổ thông (bản đã nộp bị rách, mờ dấu, không đủ điều kiện chứng thực theo quy định)", "Bản chụp rõ nét của Giấy khai sinh"},
			Reason: "Bản chính không đủ điều kiện chứng thực theo Điều 22 Nghị định số 23/2015/NĐ-CP", RequestedBy: specialist,
			RequestedAt: vn(2025, 9, 3, 9, 15), PrevDue: vn(2025, 9, 3, 14, 5), Policy: app.ClockRestart}},
		Delays: []app.Delay{{N: 1, Reason: "Người có thẩm quyền ký chứng thực đi công tác đột xuất", PrevDue: vn(2025, 9, 3, 14, 5),
			NewDue: vn(2025, 9, 4, 9, 0), By: specialist, At: vn(2025, 9, 3, 11, 0), SignedBy: leader}},
		History: []app.HistoryEntry{
			{Seq: 1, At: vn(2025, 9, 3, 8, 5), User: officer, Action: app.ActReceive, To: app.StateReceived},
		},
		UpdatedAt: vn(2025, 9, 3, 14, 30),
	}
}

// need finds an external tool; without it the test is skipped on a developer
// machine and fails in CI.
func need(t testing.TB, tool string) string {
	t.Helper()
	p, err := exec.LookPath(tool)
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skipf("%s not installed (apt-get install poppler-utils zbar-tools); set CI=true to make this a failure", tool)
		}
		t.Fatalf("%s not installed: %v", tool, err)
	}
	return p
}

// writePDF stores b in the test's temp dir.
func writePDF(t testing.TB, name string, b []byte) string {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("%s: not a PDF", name)
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func run(t testing.TB, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(need(t, name), args...).Output()
	if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return string(out)
}

// pdfText is pdftotext -layout of the whole file, or of pages first..last.
func pdfText(t testing.TB, path string, pages ...int) string {
	t.Helper()
	args := []string{"-layout", "-enc", "UTF-8"}
	if len(pages) == 2 {
		args = append(args, "-f", strconv.Itoa(pages[0]), "-l", strconv.Itoa(pages[1]))
	}
	return run(t, "pdftotext", append(args, path, "-")...)
}

var pagesRe = regexp.MustCompile(`(?m)^Pages:\s+(\d+)`)

func pdfPages(t testing.TB, path string) int {
	t.Helper()
	m := pagesRe.FindStringSubmatch(run(t, "pdfinfo", path))
	if m == nil {
		t.Fatal("pdfinfo: no page count")
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

var spaces = regexp.MustCompile(`\s+`)

// flat collapses whitespace so that text wrapped over lines compares whole.
// No-break spaces (glued names) read back as spaces.
func flat(s string) string {
	return strings.TrimSpace(spaces.ReplaceAllString(strings.ReplaceAll(s, "\u00a0", " "), " "))
}

// mustContain checks every want (whitespace-collapsed) in text.
func mustContain(t testing.TB, text string, wants ...string) {
	t.Helper()
	f := flat(text)
	for _, w := range wants {
		if !strings.Contains(f, flat(w)) {
			t.Errorf("missing %q in:\n%s", w, text)
		}
	}
}

func refusedDossier() *app.Dossier {
	d := testDossier()
	d.Code = "000.00.01.H22-250903-0008"
	d.State, d.Status = app.StateRefused, app.StatusRefused
	d.Channel = app.ChannelOnline
	d.SubmittedAt = vn(2025, 9, 2, 21, 40)
	d.RefuseReason = "Hồ sơ đề nghị chứng thực bản sao Giấy khai sinh do cơ quan nước ngoài cấp nhưng chưa được hợp pháp hóa lãnh sự theo quy định tại khoản 1 Điều 20 Nghị định số 23/2015/NĐ-CP"
	d.Legs, d.Delays, d.Supplements = nil, nil, nil
	d.History = append(d.History, app.HistoryEntry{Seq: 2, At: vn(2025, 9, 3, 8, 40), User: officer, Action: app.ActRefuse, To: app.StateRefused})
	return d
}

func stoppedDossier() *app.Dossier {
	d := testDossier()
	d.State, d.Status = app.StateStopped, app.StatusStopped
	d.StopReason = "Người yêu cầu chứng thực không bổ sung bản chính đủ điều kiện chứng thực trong thời hạn đã hẹn"
	d.StopLegal = "Điều 22 Nghị định số 23/2015/NĐ-CP; Nghị định số 118/2025/NĐ-CP"
	d.FinishedAt = vn(2025, 9, 5, 10, 0)
	d.History = append(d.History, app.HistoryEntry{Seq: 5, At: vn(2025, 9, 5, 10, 0), User: leader, Action: app.ActStop, To: app.StateStopped})
	return d
}

func returnedDossier() *app.Dossier {
	d := testDossier()
	d.State, d.Status = app.StateReturned, app.StatusReturned
	d.FinishedAt = vn(2025, 9, 3, 14, 30)
	d.ReturnedAt = vn(2025, 9, 4, 8, 15)
	d.Result = &app.Result{Kind: "Bản sao chứng thực", Number: "Số chứng thực 1532/2025, quyển số 01/2025-SCT/BS", Date: "2025-09-03",
		Signer: "Trần Minh Quang", Summary: "05 bản sao Giấy khai sinh và 03 bản sao Bằng tốt nghiệp trung học phổ thông đã chứng thực từ bản chính",
		RecordedBy: specialist, RecordedAt: vn(2025, 9, 3, 14, 30)}
	d.Return = &app.ReturnInfo{Method: app.ReturnInPerson, To: "Nguyễn Thị Ánh Hằng", ToID: "038190012345", At: vn(2025, 9, 4, 8, 15), By: officer,
		Originals: "Không"}
	return d
}

func testGuidance() *app.IntakeGuidance {
	return &app.IntakeGuidance{ID: "000.00.01.H22-250903-G0003", AgencyCode: "000.00.01.H22",
		ProcedureCode: "1.001193", ProcedureName: "Đăng ký khai sinh",
		Applicant: app.Person{FullName: "Nguyễn Thị Ánh Hằng", Phone: "0912345678", Address: testAddress},
		Summary:   "Đăng ký khai sinh cho con là Trần Nguyễn Bảo Ngọc",
		Items: []string{"Giấy chứng sinh do cơ sở y tế nơi trẻ sinh ra cấp (bản chính); nếu không có thì nộp văn bản của người làm chứng xác nhận về việc sinh",
			"Tờ khai đăng ký khai sinh theo mẫu (ghi đầy đủ, rõ ràng, không tẩy xóa)"},
		Reason: "Thiếu giấy tờ theo quy định tại Điều 16 Luật Hộ tịch 2014",
		By:     officer, At: vn(2025, 9, 3, 9, 45)}
}

// registerRows builds n dossiers received over a month.
func registerRows(n int) []app.Dossier {
	procs := [][2]string{{"2.000815", "Chứng thực bản sao từ bản chính"}, {"1.001193", "Đăng ký khai sinh"},
		{"1.004873", "Cấp Giấy xác nhận tình trạng hôn nhân"}, {"1.004194", "Đăng ký tạm trú"}}
	names := []string{"Nguyễn Thị Ánh Hằng", "Trần Văn Đức", "Lê Hoàng Yến", "Phạm Quốc Việt", "Đỗ Thị Thu Hương"}
	rows := make([]app.Dossier, n)
	for i := range rows {
		d := testDossier()
		day := 1 + i*28/n
		at := vn(2025, 9, day, 7+i%9, (i*7)%60)
		d.Code = app.DossierCode("000.00.01.H22", at, i+1)
		pr := procs[i%len(procs)]
		d.ProcedureCode, d.ProcedureName = pr[0], pr[1]
		d.Applicant.FullName = names[i%len(names)]
		if i%3 != 0 {
			d.Applicant.Address = "Thôn Đông Thịnh, xã Tân Lập"
		}
		d.ReceivedAt, d.DueAt = at, at.Add(48*time.Hour)
		d.RegisterRow = i + 1
		switch i % 4 {
		case 1:
			d.State, d.FinishedAt = app.StateResolved, at.Add(24*time.Hour)
			d.Result = &app.Result{RecordedAt: at.Add(24 * time.Hour)}
		case 2:
			d.State, d.FinishedAt, d.ReturnedAt = app.StateReturned, at.Add(24*time.Hour), at.Add(30*time.Hour)
			d.Result = &app.Result{RecordedAt: at.Add(24 * time.Hour)}
		}
		rows[i] = *d
	}
	return rows
}

// everyForm renders each form of the set with the fixtures.
func everyForm(o Office) map[string]func() ([]byte, error) {
	return map[string]func() ([]byte, error){
		"01-receipt":    func() ([]byte, error) { return Receipt(o, testDossier(), officer, 1) },
		"02-supplement": func() ([]byte, error) { return SupplementRound(o, testDossier(), 1) },
		"02-guidance":   func() ([]byte, error) { return SupplementRequest(o, testGuidance()) },
		"03-refusal":    func() ([]byte, error) { return Refusal(o, refusedDossier()) },
		"04-apology":    func() ([]byte, error) { return Apology(o, testDossier(), 0) },
		"05-stop":       func() ([]byte, error) { return StopNotice(o, stoppedDossier()) },
		"06-control":    func() ([]byte, error) { return ControlSheet(o, testDossier()) },
		"07-register": func() ([]byte, error) {
			return Register(o, vn(2025, 9, 1, 0, 0), vn(2025, 9, 30, 0, 0), registerRows(40), "01")
		},
		"08-result-return": func() ([]byte, error) { return ResultReceipt(o, returnedDossier()) },
	}
}

func time30(i int) time.Duration { return time.Duration(i) * 30 * time.Minute }

// pdfRaw is pdftotext -raw: text in drawing order, so the lines of one table
// cell stay together.
func pdfRaw(t testing.TB, path string) string {
	t.Helper()
	return run(t, "pdftotext", "-raw", "-enc", "UTF-8", path, "-")
}
