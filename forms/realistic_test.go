package forms

import (
	"fmt"
	"time"

	"motcua/app"
)

// Realistic data for the review PNGs and the layout tests: the longest real
// unit names, long person names, twelve documents, five hand-overs, thirty
// register rows, February dates (Decree 30 pads the month).

const (
	realCode   = "000.00.21.H40-260203-0012"
	realPublic = "https://dichvucong.ninhbinh.gov.vn"
)

func realOffice(set string) Office {
	return Office{
		Agency: app.Agency{Code: "000.00.21.H40", Name: "Trung tâm Phục vụ hành chính công xã Nghĩa Hưng Đông",
			GoverningBody: "Ủy ban nhân dân xã Nghĩa Hưng Đông", Place: "Nghĩa Hưng Đông", Phone: "0228 3871 234",
			Level: app.LevelCommune},
		PublicURL: realPublic,
		FormSet:   set,
	}
}

var (
	realOfficer    = app.UserRef{Username: "thuy", FullName: "Lê Thị Thanh Thủy", Title: "Công chức Văn phòng - Thống kê"}
	realSpecialist = app.UserRef{Username: "huong", FullName: "Nguyễn Hoàng Thị Thu Hương", Title: "Công chức Tư pháp - Hộ tịch"}
	realLeader     = app.UserRef{Username: "khanh", FullName: "Trần Nguyễn Quốc Khánh", Title: "Phó Chủ tịch"}
	realApplicant  = "Tôn Nữ Hoàng Phương Thảo"
)

func feb(d, h, m int) time.Time { return time.Date(2026, 2, d, h, m, 0, 0, app.Vietnam) }

func realDossier() *app.Dossier {
	docs := []string{
		"Tờ khai đăng ký khai sinh theo mẫu quy định",
		"Giấy chứng sinh do Bệnh viện Đa khoa tỉnh Ninh Bình cấp",
		"Giấy chứng nhận kết hôn của cha, mẹ",
		"Căn cước của người đi đăng ký",
		"Giấy tờ chứng minh nơi cư trú của người mẹ",
		"Văn bản ủy quyền có chứng thực (trường hợp ủy quyền đăng ký)",
		"Giấy xác nhận tình trạng hôn nhân của người mẹ",
		"Bản sao Giấy khai sinh của anh chị em ruột (để đối chiếu họ, chữ đệm)",
		"Biên bản xác minh của công an xã về việc cư trú",
		"Văn bản cam đoan về việc sinh (trường hợp không có giấy chứng sinh)",
		"Giấy tờ chứng minh quốc tịch của cha (hộ chiếu nước ngoài còn hạn)",
		"Bản dịch có chứng thực giấy tờ do cơ quan nước ngoài cấp",
	}
	d := &app.Dossier{
		Code: realCode, AgencyCode: "000.00.21.H40",
		ProcedureCode: "1.001193", ProcedureName: "Đăng ký khai sinh có yếu tố nước ngoài tại khu vực biên giới và xác định quốc tịch cho trẻ em", Field: "Hộ tịch",
		Legal:    app.LegalBasis{Text: "Luật Hộ tịch năm 2014; Nghị định số 123/2015/NĐ-CP ngày 15/11/2015 của Chính phủ"},
		TimeRule: app.TimeRule{Kind: app.TimeWorkingHours, Hours: 40},
		Channel:  app.ChannelInPerson,
		Applicant: app.Person{Kind: app.ApplicantCitizen, FullName: realApplicant, IDType: app.IDCCCD, IDNumber: "037190012345",
			Phone: "0912 345 678", Email: "phuongthao.tonnu@example.vn",
			Address: "Xóm 5, thôn Đông Thịnh, xã Nghĩa Hưng Đông, tỉnh Ninh Bình"},
		Submitter: &app.Person{FullName: "Nguyễn Trần Hoàng Bảo Ngọc", IDType: app.IDCCCD, IDNumber: "037195009876"},
		Summary:   "Đăng ký khai sinh cho con là Nguyễn Tôn Nữ Bảo Châu, sinh ngày 14/01/2026, cha là công dân nước ngoài",
		Sets:      1,
		Fees: []app.Fee{{Name: "Lệ phí đăng ký hộ tịch", Amount: 75000, Paid: true, ReceiptNo: "0000457"},
			{Name: "Phí xác minh", Amount: 1250000, Paid: false}},
		ReturnPlace:  "Trung tâm Phục vụ hành chính công xã Nghĩa Hưng Đông, quầy số 3",
		ReceivedAt:   feb(3, 8, 5),
		DueAt:        feb(10, 16, 30),
		OriginalDue:  feb(10, 16, 30),
		RegisterBook: "01", RegisterRow: 312,
		State: app.StateProcessing, Status: app.StatusProcessing,
		Handler: realSpecialist, Unit: "Công chức Tư pháp - Hộ tịch",
	}
	for i, n := range docs {
		d.Documents = append(d.Documents, app.SubmittedDocument{Name: n, Originals: 1 - i%2, Copies: i % 3, Photocopies: i % 2})
	}
	units := []string{"Bộ phận Một cửa", "Công chức Tư pháp - Hộ tịch", "Công an xã Nghĩa Hưng Đông", "Công chức Tư pháp - Hộ tịch", "Lãnh đạo UBND xã", "Bộ phận Một cửa"}
	users := []app.UserRef{realOfficer, realSpecialist, {FullName: "Đặng Vũ Minh Hoàng"}, realSpecialist, realLeader, realOfficer}
	outcomes := []app.Outcome{app.OutcomeEarly, app.OutcomeOnTime, app.OutcomeLate, app.OutcomeOnTime, app.OutcomeEarly}
	for i := 0; i < 5; i++ {
		at := feb(3+i, 9+i, 10*i)
		l := app.HandoverLeg{N: i + 1, FromUnit: units[i], FromUser: users[i], ToUnit: units[i+1], ToUser: users[i+1],
			At: at, Deadline: at.Add(26 * time.Hour), FinishedAt: at.Add(20 * time.Hour), Outcome: outcomes[i]}
		if i == 2 {
			l.Note = "Chuyển liên thông xác minh cư trú"
			l.TransferID = "tr_k3j5h2g7f6d5s4a3q2w1e0r9t8"
		}
		d.Legs = append(d.Legs, l)
	}
	d.Supplements = []app.SupplementRound{{N: 1,
		Items: []string{"Bản dịch có chứng thực hộ chiếu của người cha (bản đã nộp chưa được chứng thực chữ ký người dịch)",
			"Văn bản thỏa thuận của cha, mẹ về việc chọn quốc tịch cho con, có chữ ký của cả hai người",
			"Giấy xác nhận nơi cư trú của người mẹ do Công an xã Nghĩa Hưng Đông cấp"},
		Reason:      "Hồ sơ chưa đủ giấy tờ theo quy định tại Điều 36 Luật Hộ tịch năm 2014",
		RequestedBy: realSpecialist, RequestedAt: feb(4, 9, 15), PrevDue: feb(10, 16, 30), Policy: app.ClockRestart}}
	d.Delays = []app.Delay{{N: 1, Reason: "Chờ kết quả xác minh cư trú của Công an xã Nghĩa Hưng Đông và văn bản trả lời của cơ quan quản lý xuất nhập cảnh",
		PrevDue: feb(10, 16, 30), NewDue: time.Date(2026, 3, 2, 9, 0, 0, 0, app.Vietnam), By: realSpecialist, At: feb(9, 15, 0), SignedBy: realLeader}}
	d.History = []app.HistoryEntry{{Seq: 1, At: feb(3, 8, 5), User: realOfficer, Action: app.ActReceive, To: app.StateReceived}}
	d.UpdatedAt = feb(9, 15, 0)
	return d
}

func realRefused() *app.Dossier {
	d := realDossier()
	d.State, d.Status = app.StateRefused, app.StatusRefused
	d.SubmittedAt = feb(2, 21, 40)
	d.RefuseReason = "Người nộp hồ sơ không phải là cha, mẹ, ông, bà hoặc người thân thích khác của trẻ và không có văn bản ủy quyền theo quy định tại Điều 2 Nghị định số 123/2015/NĐ-CP; hồ sơ không thuộc thẩm quyền giải quyết của Ủy ban nhân dân xã Nghĩa Hưng Đông"
	d.Legs, d.Delays, d.Supplements = nil, nil, nil
	d.History = append(d.History, app.HistoryEntry{Seq: 2, At: feb(3, 8, 40), User: realOfficer, Action: app.ActRefuse, To: app.StateRefused})
	return d
}

func realStopped() *app.Dossier {
	d := realDossier()
	d.State, d.Status = app.StateStopped, app.StatusStopped
	d.StopReason = "Người yêu cầu không bổ sung văn bản thỏa thuận về việc chọn quốc tịch cho con trong thời hạn đã hẹn; cơ quan quản lý xuất nhập cảnh có văn bản trả lời người cha không đủ điều kiện"
	d.StopLegal = "Điều 36 Luật Hộ tịch năm 2014; Điều 8 Nghị định số 118/2025/NĐ-CP ngày 09/6/2025 của Chính phủ"
	d.FinishedAt = feb(24, 10, 0)
	d.History = append(d.History, app.HistoryEntry{Seq: 5, At: feb(24, 10, 0), User: realLeader, Action: app.ActStop, To: app.StateStopped})
	return d
}

func realReturned() *app.Dossier {
	d := realDossier()
	d.State, d.Status = app.StateReturned, app.StatusReturned
	d.FinishedAt = feb(26, 14, 30)
	d.ReturnedAt = feb(27, 8, 15)
	d.Result = &app.Result{Kind: "Giấy khai sinh (bản chính)", Number: "Số 45/2026/KS, quyển số 01/2026", Date: "2026-02-26",
		Signer: realLeader.FullName, Summary: "Giấy khai sinh của Nguyễn Tôn Nữ Bảo Châu, kèm trích lục khai sinh",
		Files: []app.SubmittedDocument{{Name: "Trích lục khai sinh (bản sao)", Copies: 2, FileName: "TLKS-45-2026.pdf"},
			{Name: "Giấy chứng nhận quốc tịch Việt Nam", Originals: 1, FileName: "GCNQT-12-2026.pdf"}},
		RecordedBy: realSpecialist, RecordedAt: feb(26, 14, 30)}
	d.Return = &app.ReturnInfo{Method: app.ReturnInPerson, To: realApplicant, ToID: "037190012345", At: feb(27, 8, 15), By: realOfficer,
		Originals: "Giấy chứng sinh (bản chính)"}
	return d
}

func realGuidance() *app.IntakeGuidance {
	return &app.IntakeGuidance{ID: "000.00.21.H40-260203-G0004", AgencyCode: "000.00.21.H40",
		ProcedureCode: "1.001193", ProcedureName: "Đăng ký khai sinh",
		Applicant: app.Person{FullName: realApplicant, Phone: "0912 345 678", Address: "Xóm 5, thôn Đông Thịnh, xã Nghĩa Hưng Đông, tỉnh Ninh Bình"},
		Summary:   "Đăng ký khai sinh cho con là Nguyễn Tôn Nữ Bảo Châu",
		Items:     realDossier().Supplements[0].Items,
		Reason:    "Thiếu giấy tờ theo quy định tại Điều 16 Luật Hộ tịch năm 2014",
		By:        realOfficer, At: feb(3, 9, 45)}
}

// realRegister is thirty dossiers received in February.
func realRegister() []app.Dossier {
	procs := [][2]string{{"1.001193", "Đăng ký khai sinh"}, {"2.000815", "Chứng thực bản sao từ bản chính"},
		{"1.004873", "Cấp Giấy xác nhận tình trạng hôn nhân"}, {"1.004194", "Đăng ký tạm trú"}, {"1.000894", "Đăng ký kết hôn"}}
	names := []string{realApplicant, "Nguyễn Trần Hoàng Bảo Ngọc", "Đặng Vũ Minh Hoàng", "Lê Thị Thanh Thủy", "Công ty TNHH Thương mại Nghĩa Hưng", "Phạm Quốc Việt"}
	villages := []string{"Đông Thịnh", "Tây Sơn", "Bắc Hải", "Nam Điền"}
	rows := make([]app.Dossier, 30)
	for i := range rows {
		d := realDossier()
		at := feb(2+i*26/30, 7+i%9, (i*7)%60)
		d.Code = app.DossierCode("000.00.21.H40", at, i+1)
		pr := procs[i%len(procs)]
		d.ProcedureCode, d.ProcedureName = pr[0], pr[1]
		d.Applicant.FullName = names[i%len(names)]
		if i%len(names) == 4 {
			d.Applicant.Kind = app.ApplicantBusiness
		}
		d.Applicant.Address = fmt.Sprintf("Xóm %d, thôn %s, xã Nghĩa Hưng Đông", 1+i%9, villages[i%len(villages)])
		d.ReceivedAt, d.DueAt = at, at.Add(72*time.Hour)
		d.RegisterRow = 300 + i + 1
		d.Delays = nil
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

// realForms renders every form of a set with the realistic data.
func realForms(o Office) map[string]func() ([]byte, error) {
	return map[string]func() ([]byte, error){
		"01-receipt":    func() ([]byte, error) { return Receipt(o, realDossier(), realOfficer, 2) },
		"02-supplement": func() ([]byte, error) { return SupplementRound(o, realDossier(), 1) },
		"02-guidance":   func() ([]byte, error) { return SupplementRequest(o, realGuidance()) },
		"03-refusal":    func() ([]byte, error) { return Refusal(o, realRefused()) },
		"04-apology":    func() ([]byte, error) { return Apology(o, realDossier(), 0) },
		"05-stop":       func() ([]byte, error) { return StopNotice(o, realStopped()) },
		"06-control":    func() ([]byte, error) { return ControlSheet(o, realDossier()) },
		"07-register": func() ([]byte, error) {
			return Register(o, feb(1, 0, 0), feb(28, 0, 0), realRegister(), "01")
		},
		"08-result-return": func() ([]byte, error) { return ResultReceipt(o, realReturned()) },
	}
}
