// Package testgen generates realistic test data (dossiers of a one-stop
// office) for tests and benchmarks. It is test-only: no shipped package
// imports it (main_test.go proves it from go list -deps).
package testgen

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"motcua/app"
)

// genProc is a seed catalogue entry as the generator needs it (domain.md §8).
type genProc struct {
	code, name, field string
	days              float64 // processing time in working days; 0 = same day
	weight            int     // share of the office's traffic
	docs              []string
}

var genProcs = []genProc{
	{"1.001193", "Đăng ký khai sinh", "Hộ tịch", 0, 14, []string{"Tờ khai đăng ký khai sinh", "Giấy chứng sinh"}},
	{"1.000894", "Đăng ký kết hôn", "Hộ tịch", 0, 6, []string{"Tờ khai đăng ký kết hôn", "Giấy xác nhận tình trạng hôn nhân"}},
	{"1.000656", "Đăng ký khai tử", "Hộ tịch", 0, 4, []string{"Tờ khai đăng ký khai tử", "Giấy báo tử"}},
	{"1.004873", "Cấp Giấy xác nhận tình trạng hôn nhân", "Hộ tịch", 3, 8, []string{"Tờ khai cấp Giấy xác nhận tình trạng hôn nhân"}},
	{"1.004859", "Đăng ký thay đổi, cải chính hộ tịch", "Hộ tịch", 3, 3, []string{"Tờ khai đăng ký thay đổi, cải chính hộ tịch", "Giấy tờ làm căn cứ"}},
	{"2.000635", "Cấp bản sao trích lục hộ tịch", "Hộ tịch", 0, 8, []string{"Tờ khai cấp bản sao trích lục hộ tịch"}},
	{"2.000815", "Chứng thực bản sao từ bản chính", "Chứng thực", 0, 30, []string{"Bản chính giấy tờ", "Bản sao cần chứng thực"}},
	{"2.000884", "Chứng thực chữ ký trong giấy tờ, văn bản", "Chứng thực", 0, 12, []string{"Giấy tờ tùy thân", "Giấy tờ, văn bản cần chứng thực chữ ký"}},
	{"1.004884", "Đăng ký lại khai sinh", "Hộ tịch", 5, 2, []string{"Tờ khai đăng ký lại khai sinh", "Giấy tờ chứng minh nội dung khai sinh"}},
	{"1.004194", "Đăng ký tạm trú", "Cư trú", 3, 13, []string{"Tờ khai thay đổi thông tin cư trú", "Giấy tờ chứng minh chỗ ở hợp pháp"}},
}

// Family names with their approximate share of the population (per mille).
var genFamilies = []struct {
	name   string
	weight int
}{
	{"Nguyễn", 380}, {"Trần", 110}, {"Lê", 95}, {"Phạm", 70}, {"Hoàng", 50}, {"Huỳnh", 40}, {"Phan", 45},
	{"Vũ", 39}, {"Võ", 35}, {"Đặng", 21}, {"Bùi", 20}, {"Đỗ", 14}, {"Hồ", 13}, {"Ngô", 13}, {"Dương", 10}, {"Lý", 5},
}

var (
	genMiddleM = []string{"Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Xuân", "Công", "Đình", "Gia", "Bảo", "Tiến"}
	genMiddleF = []string{"Thị", "Ngọc", "Thu", "Thanh", "Minh", "Kim", "Hồng", "Mỹ", "Phương", "Bích", "Thùy", "Diệu"}
	genGivenM  = []string{"An", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Đông", "Hải", "Hiếu", "Hùng", "Khánh", "Long",
		"Nam", "Phong", "Phúc", "Quân", "Quang", "Sơn", "Thắng", "Trung", "Tuấn", "Việt", "Vĩnh", "Lộc", "Toàn", "Khoa", "Hưng", "Thịnh"}
	genGivenF = []string{"Anh", "Ánh", "Chi", "Giang", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Nga", "Ngân",
		"Nhung", "Phương", "Tâm", "Thảo", "Trang", "Tú", "Uyên", "Yến", "Hằng", "Loan", "Quyên", "Diệp", "Xuân", "Oanh", "Thủy"}
	genHamlets   = []string{"Thôn Đông", "Thôn Tây", "Thôn Thượng", "Thôn Hạ", "Xóm Mới", "Thôn Phú Điền", "Thôn Yên Trường", "Khu phố Bắc Sơn"}
	genProvinces = []string{"001", "026", "030", "031", "033", "034", "035", "036", "037", "038", "040", "042", "045", "079", "092"}
	genPhones    = []string{"090", "091", "093", "094", "096", "097", "098", "086", "088", "032", "033", "035", "038", "039", "070", "077", "083", "085"}
	genHandlers  = []app.UserRef{
		{Username: "tuphap1", FullName: "Lê Thị Hồng", Title: "Công chức Tư pháp - Hộ tịch"},
		{Username: "tuphap2", FullName: "Nguyễn Văn Đức", Title: "Công chức Tư pháp - Hộ tịch"},
		{Username: "diachinh", FullName: "Trần Quốc Tuấn", Title: "Công chức Địa chính - Xây dựng"},
		{Username: "vanhoa", FullName: "Phạm Thu Trang", Title: "Công chức Văn hóa - Xã hội"},
	}
	genOpen = []app.State{app.StateReceived, app.StateProcessing, app.StateAwaitingApproval, app.StateApproved,
		app.StateTransferred, app.StateSupplement, app.StatePayment}
)

// End is the instant the generated data ends: dossiers are received in the
// three years before it, and the recent ones are still open around it.
var End = time.Date(2026, 1, 1, 0, 0, 0, 0, app.Vietnam)

// Dossiers returns n realistic, valid dossiers of one agency, in
// receipt order, deterministic for a seed: Vietnamese names with diacritics,
// the ten seed procedures, real codes (app.DossierCode, one sequence per day),
// receipt times on working days in the three years before End, every state
// (the last weeks mostly open, older ones mostly returned), DueAt on open
// dossiers and FinishedAt on finished ones. They carry no history and
// Version 1. For tests and benchmarks.
func Dossiers(n int, seed int64, agency string) []app.Dossier {
	r := rand.New(rand.NewPCG(uint64(seed), 0x6d6f74637561))
	start := End.AddDate(-3, 0, 0)
	var days []time.Time
	for d := start; d.Before(End); d = d.AddDate(0, 0, 1) {
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			days = append(days, d)
		}
	}
	procTotal, famTotal := 0, 0
	for _, p := range genProcs {
		procTotal += p.weight
	}
	for _, f := range genFamilies {
		famTotal += f.weight
	}
	// Receipt times: dossier i falls on day i*len(days)/n, at a random minute
	// of office hours; times are sorted within a day so sequences follow time.
	times := make([]time.Time, n)
	for i := range times {
		day := days[i*len(days)/max(n, 1)]
		m := r.IntN(8 * 60) // 07:00–11:30 and 13:30–17:00
		if m >= 270 {
			m += 120
		}
		times[i] = day.Add(7*time.Hour + time.Duration(m)*time.Minute + time.Duration(r.IntN(60))*time.Second)
	}
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })

	out := make([]app.Dossier, n)
	seq, lastDay := 0, ""
	for i := range out {
		at := times[i]
		if d := at.Format("060102"); d != lastDay {
			seq, lastDay = 0, d
		}
		seq++
		p := pickProc(r, procTotal)
		female := r.IntN(2) == 0
		name := pickFamily(r, famTotal) + " "
		if female {
			name += genMiddleF[r.IntN(len(genMiddleF))] + " " + genGivenF[r.IntN(len(genGivenF))]
		} else {
			name += genMiddleM[r.IntN(len(genMiddleM))] + " " + genGivenM[r.IntN(len(genGivenM))]
		}
		birth := 1950 + r.IntN(55)
		century := 0
		if birth >= 2000 {
			century = 2
		}
		if female {
			century++
		}
		id := fmt.Sprintf("%s%d%02d%06d", genProvinces[r.IntN(len(genProvinces))], century, birth%100, r.IntN(1000000))
		phone := fmt.Sprintf("%s%07d", genPhones[r.IntN(len(genPhones))], r.IntN(10000000))
		addr := fmt.Sprintf("%s, xã Tân Lập, tỉnh Thanh Hóa", genHamlets[r.IntN(len(genHamlets))])
		d := app.Dossier{
			Code: app.DossierCode(agency, at, seq), AgencyCode: agency,
			ProcedureCode: p.code, ProcedureName: p.name, Field: p.field,
			Legal:    app.LegalBasis{Text: "Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP", Version: "QĐ 1234/QĐ-UBND 2025", EffectiveFrom: "2025-07-01"},
			TimeRule: app.TimeRule{Kind: app.TimeImmediate},
			Channel:  app.ChannelInPerson,
			Applicant: app.Person{Kind: app.ApplicantCitizen, FullName: app.NFC(name), IDType: app.IDCCCD, IDNumber: id,
				BirthDate: fmt.Sprintf("%d-%02d-%02d", birth, 1+r.IntN(12), 1+r.IntN(28)), Phone: phone, Address: app.NFC(addr)},
			Summary: app.NFC(p.name + " cho " + name),
			Sets:    1, ReceivedAt: at, ReturnPlace: "Bộ phận Một cửa, UBND xã Tân Lập",
			Unit: "Bộ phận Một cửa", Handler: genHandlers[r.IntN(len(genHandlers))], Version: 1, UpdatedAt: at,
		}
		if p.days > 0 {
			d.TimeRule = app.WorkingDays(p.days)
		}
		for _, doc := range p.docs {
			d.Documents = append(d.Documents, app.SubmittedDocument{Name: doc, Originals: 1, Copies: r.IntN(2), Photocopies: r.IntN(2)})
		}
		if p.code == "2.000815" {
			d.Fees = []app.Fee{{Name: "Lệ phí chứng thực", Amount: int64(2000 * (1 + r.IntN(5))), Paid: true, ReceiptNo: fmt.Sprintf("BL%06d", i+1), PaidAt: at}}
		}
		if r.IntN(10) == 0 {
			d.Channel = app.ChannelOnline
			d.SubmittedAt = at.Add(-time.Duration(1+r.IntN(48)) * time.Hour)
		}
		due := addWorkingDays(at, p.days)
		d.DueAt, d.OriginalDue, d.StatsDue = due, due, due
		d.State = pickState(r, End.Sub(at))
		if n >= 13 && i%(n/13) == 0 && i/(n/13) < 13 { // every state at least once
			d.State = app.AllStates()[i/(n/13)]
		}
		finish := at.Add(time.Duration(float64(due.Sub(at)) * (0.3 + r.Float64()*0.9)))
		switch s := d.State; {
		case s == app.StateSubmitted:
			d.Channel, d.SubmittedAt = app.ChannelOnline, at
			d.DueAt, d.OriginalDue, d.StatsDue = time.Time{}, time.Time{}, time.Time{}
		case s == app.StateRefused:
			d.DueAt, d.OriginalDue, d.StatsDue = time.Time{}, time.Time{}, time.Time{}
			d.FinishedAt, d.RefuseReason = at, "Hồ sơ không thuộc thẩm quyền giải quyết"
		case s == app.StateWithdrawn:
			d.FinishedAt, d.WithdrawNote = finish, "Công dân xin rút hồ sơ"
		case s == app.StateStopped:
			d.FinishedAt, d.StopReason = finish, "Người yêu cầu không bổ sung hồ sơ đúng hạn"
		case s.Finished():
			d.FinishedAt = finish
			d.Result = &app.Result{Kind: p.name, Number: fmt.Sprintf("%d/%d", seq, at.Year()), Date: finish.Format("2006-01-02"),
				Signer: "Chủ tịch UBND xã", Summary: p.name, RecordedBy: d.Handler, RecordedAt: finish}
			if s == app.StateReturned {
				d.ReturnedAt = finish.Add(time.Duration(r.IntN(72)) * time.Hour)
				d.Return = &app.ReturnInfo{Method: app.ReturnInPerson, To: d.Applicant.FullName, At: d.ReturnedAt, By: genHandlers[0]}
			}
		}
		d.Status = d.State.Code()
		out[i] = d
	}
	return out
}

func pickProc(r *rand.Rand, total int) genProc {
	x := r.IntN(total)
	for _, p := range genProcs {
		if x < p.weight {
			return p
		}
		x -= p.weight
	}
	return genProcs[0]
}

func pickFamily(r *rand.Rand, total int) string {
	x := r.IntN(total)
	for _, f := range genFamilies {
		if x < f.weight {
			return f.name
		}
		x -= f.weight
	}
	return genFamilies[0].name
}

// pickState: recent dossiers are mostly open, older ones mostly returned, with
// a tail of forgotten open (overdue) ones.
func pickState(r *rand.Rand, age time.Duration) app.State {
	x := r.IntN(100)
	if age < 21*24*time.Hour {
		switch {
		case x < 60:
			return genOpen[r.IntN(len(genOpen))]
		case x < 65:
			return app.StateSubmitted
		case x < 80:
			return app.StateResolved
		case x < 95:
			return app.StateReturned
		}
		return app.StateRefused
	}
	switch {
	case x < 3:
		return genOpen[r.IntN(len(genOpen))]
	case x < 80:
		return app.StateReturned
	case x < 87:
		return app.StateResolved
	case x < 91:
		return app.StateRefused
	case x < 95:
		return app.StateWithdrawn
	case x < 99:
		return app.StateStopped
	}
	return app.StateSubmitted
}

// addWorkingDays is a rough appointment date (weekends skipped, no
// holidays): the end of the day after n working days, or 17:00 the same day.
func addWorkingDays(t time.Time, n float64) time.Time {
	d := time.Date(t.Year(), t.Month(), t.Day(), 17, 0, 0, 0, app.Vietnam)
	for k := int(n); k > 0; {
		d = d.AddDate(0, 0, 1)
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			k--
		}
	}
	return d
}
