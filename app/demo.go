package app

import (
	"fmt"
	"math/rand"
	"time"
)

// Demo users: one per role, password "demo" (demo data only).
var demoUsers = []User{
	{Username: "quantri", FullName: "Lê Văn Quản", Title: "Công chức Văn phòng - Thống kê", Unit: "Văn phòng", Roles: []Role{RoleAdmin}},
	{Username: "tiepnhan", FullName: "Nguyễn Thị Ánh Hằng", Title: "Công chức Bộ phận Một cửa", Unit: "Bộ phận Một cửa", Roles: []Role{RoleReceiver}},
	{Username: "chuyenvien", FullName: "Trần Đức Thắng", Title: "Công chức Tư pháp - Hộ tịch", Unit: "Tư pháp - Hộ tịch", Roles: []Role{RoleSpecialist}},
	{Username: "lanhdao", FullName: "Phạm Quốc Việt", Title: "Phó Chủ tịch UBND xã", Unit: "Lãnh đạo UBND xã", Roles: []Role{RoleLeader}},
}

// DemoPassword is the password of every demo user.
const DemoPassword = "demo"

var (
	demoFamily = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"}
	demoMiddle = []string{"Văn", "Thị", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Thu", "Hữu", "Bảo", "Khánh", "Xuân"}
	demoGiven  = []string{"An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hằng", "Hiếu", "Hoa", "Huệ", "Hùng", "Khoa", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Oanh", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Uyên", "Việt", "Yến"}
	demoPlaces = []string{"Thôn Đông", "Thôn Tây", "Thôn Trung", "Xóm Mới", "Thôn Yên Phú", "Thôn Đồng Tâm"}
)

// DemoName returns a deterministic Vietnamese full name.
func DemoName(r *rand.Rand) string {
	return demoFamily[r.Intn(len(demoFamily))] + " " + demoMiddle[r.Intn(len(demoMiddle))] + " " + demoGiven[r.Intn(len(demoGiven))]
}

// DemoCCCD returns a valid-looking 12-digit personal number.
func DemoCCCD(r *rand.Rand) string {
	return fmt.Sprintf("%03d%d%02d%06d", 1+r.Intn(96), r.Intn(4), r.Intn(100), r.Intn(1000000))
}

// SeedDemo creates a demo office — agency, one user per role, the catalogue,
// holidays and about 60 dossiers in every state, some due soon and some
// overdue — and returns the receiving officer. The store must be empty.
func (s *Service) SeedDemo(now time.Time) (*User, error) {
	now = now.In(Vietnam)
	ag := Agency{Code: "000.00.31.H56", Name: "UBND xã Tân Lập", GoverningBody: "UBND TỈNH THANH HÓA", Place: "Tân Lập",
		Level: LevelCommune, Address: "Thôn Trung, xã Tân Lập, tỉnh Thanh Hóa", Phone: "02373888999", Hours: DefaultOfficeHours(),
		LookupURL: "https://dichvucong.thanhhoa.gov.vn/tra-cuu"}
	err := s.store.Update(func(tx Tx) error {
		if _, err := tx.Agency(); err == nil {
			return E("SeedDemo", KindConflict, MsgSeedNotEmpty)
		}
		if err := tx.PutAgency(&ag); err != nil {
			return err
		}
		for _, u := range demoUsers {
			u.PasswordHash, _ = HashPassword(DemoPassword)
			u.CreatedAt = now
			if err := tx.PutUser(&u); err != nil {
				return err
			}
		}
		st := DefaultSettings()
		st.LookupURL = ag.LookupURL
		if err := tx.PutSettings(st); err != nil {
			return err
		}
		if err := s.ensureCatalogue(tx); err != nil {
			return err
		}
		for _, y := range []int{now.Year() - 1, now.Year(), now.Year() + 1} {
			for _, e := range StatutoryHolidays(y) {
				if err := tx.PutCalendarEntry(e); err != nil {
					return err
				}
			}
		}
		return s.audit(tx, demoUsers[0].Ref(), "setup.demo", ag.Code, ag.Name)
	})
	if err != nil {
		return nil, err
	}
	users := map[Role]*User{}
	for i := range demoUsers {
		u := demoUsers[i]
		users[u.Roles[0]] = &u
	}
	rec, spec, lead := users[RoleReceiver], users[RoleSpecialist], users[RoleLeader]
	ps, err := s.Procedures()
	if err != nil {
		return nil, err
	}
	cal, err := s.Calendar()
	if err != nil {
		return nil, err
	}
	r := rand.New(rand.NewSource(20251127))
	clk := &FixedClock{}
	ds := &Service{store: s.store, clock: clk}
	// Working-hour offsets before now at which each dossier is received.
	plan := []struct {
		state State
		n     int
	}{{StateReceived, 6}, {StateProcessing, 14}, {StateAwaitingApproval, 4}, {StateApproved, 3}, {StateSupplement, 4},
		{StatePayment, 3}, {StateResolved, 6}, {StateReturned, 12}, {StateStopped, 2}, {StateWithdrawn, 2}, {StateRefused, 2}}
	back := func(hours float64) time.Time { // a working moment `hours` working hours before now
		t := cal.Normalize(now.AddDate(0, 0, -40))
		total := cal.WorkingHoursBetween(t, now)
		return cal.AddWorkingHours(t, max(total-hours, 0.25))
	}
	i := 0
	for _, pl := range plan {
		for k := 0; k < pl.n; k++ {
			i++
			// A spread of ages: a few fresh, a few near their due date, some overdue.
			age := []float64{2, 6, 12, 20, 23.5, 30, 45, 70, 100, 150}[r.Intn(10)]
			p := ps[r.Intn(len(ps))]
			if pl.state == StateProcessing && k < 5 {
				p = procByCode(ps, "1.004873") // 3 working days: k<3 overdue, others due soon
				age = []float64{40, 60, 30, 20, 18}[k]
			}
			clk.T = back(age)
			in := demoInput(r, p)
			if pl.state == StateRefused {
				if _, err := ds.RefuseAtIntake(rec, in, "Hồ sơ không thuộc thẩm quyền giải quyết của UBND xã"); err != nil {
					return nil, err
				}
				continue
			}
			d, err := ds.Receive(rec, in)
			if err != nil {
				return nil, fmt.Errorf("demo dossier %d: %w", i, err)
			}
			if err := demoAdvance(ds, clk, now, d.Code, pl.state, rec, spec, lead, p); err != nil {
				return nil, fmt.Errorf("demo dossier %d (%s): %w", i, pl.state, err)
			}
		}
	}
	return rec, nil
}

func procByCode(ps []Procedure, code string) Procedure {
	for _, p := range ps {
		if p.Code == code {
			return p
		}
	}
	return ps[0]
}

func demoInput(r *rand.Rand, p Procedure) ReceiveInput {
	name := DemoName(r)
	in := ReceiveInput{ProcedureCode: p.Code, Channel: Channel(1 + r.Intn(2)),
		Applicant: Person{Kind: ApplicantCitizen, FullName: name, IDType: IDCCCD, IDNumber: DemoCCCD(r),
			BirthDate: fmt.Sprintf("%d-%02d-%02d", 1950+r.Intn(55), 1+r.Intn(12), 1+r.Intn(28)),
			Phone:     fmt.Sprintf("09%08d", r.Intn(100000000)),
			Address:   demoPlaces[r.Intn(len(demoPlaces))] + ", xã Tân Lập, tỉnh Thanh Hóa"},
		Summary: p.Name + " cho " + name, Sets: 1}
	for _, spec := range p.Documents {
		in.Documents = append(in.Documents, SubmittedDocument{Name: spec.Name, Originals: spec.Originals, Copies: spec.Copies})
	}
	if p.Fee.Kind != FeeFree {
		in.Fees = []Fee{{Name: p.Fee.Name, Amount: p.Fee.Compute(FeeInput{Pages: 2, Copies: 1, Cases: 1}), Paid: true}}
	}
	return in
}

// demoAdvance walks a received dossier to the target state, a few minutes per step, never past now.
func demoAdvance(s *Service, clk *FixedClock, now time.Time, code string, target State, rec, spec, lead *User, p Procedure) error {
	step := func() {
		if t := clk.T.Add(20 * time.Minute); t.Before(now) {
			clk.T = t
		}
	}
	if target == StateReceived {
		return nil
	}
	if target == StateWithdrawn {
		step()
		_, err := s.Withdraw(rec, code, "Công dân có đơn xin rút hồ sơ")
		return err
	}
	step()
	if _, err := s.Handover(rec, code, HandoverInput{ToUser: spec.Username, Note: "Chuyển thẩm định"}); err != nil {
		return err
	}
	step()
	switch target {
	case StateProcessing:
		return nil
	case StateSupplement:
		_, err := s.RequestSupplement(spec, code, SupplementInput{Items: []string{"Bản sao giấy tờ chứng minh nơi cư trú"}, Reason: "Thiếu căn cứ xác minh"})
		return err
	case StatePayment:
		_, err := s.RequestPayment(spec, code, []Fee{{Name: "Lệ phí cấp bản sao", Amount: 8000}})
		return err
	case StateStopped:
		_, err := s.Stop(lead, code, "Người yêu cầu đã chết trước khi có kết quả", "Khoản 2 Điều 14 Nghị định 118/2025/NĐ-CP")
		return err
	}
	if _, err := s.SubmitForApproval(spec, code, "Đủ điều kiện giải quyết, đề nghị lãnh đạo ký"); err != nil {
		return err
	}
	if target == StateAwaitingApproval {
		return nil
	}
	step()
	if _, err := s.Approve(lead, code, "Đồng ý"); err != nil {
		return err
	}
	if target == StateApproved {
		return nil
	}
	step()
	kind := p.ResultKind
	if kind == "" {
		kind = "Văn bản kết quả"
	}
	if _, err := s.RecordResult(spec, code, ResultInput{Kind: kind, Number: fmt.Sprintf("%d/%d", 100+len(code)%50, clk.T.Year()),
		Date: clk.T.Format("2006-01-02"), Signer: lead.FullName, Summary: p.Name}); err != nil {
		return err
	}
	if target == StateResolved {
		return nil
	}
	step()
	d, err := s.Dossier(code)
	if err != nil {
		return err
	}
	_, err = s.Return(rec, code, ReturnInput{Method: ReturnInPerson, To: d.Applicant.FullName, ToID: d.Applicant.IDNumber})
	return err
}
