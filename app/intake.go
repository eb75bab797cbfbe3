package app

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ReceiveInput is what the officer types at the counter.
type ReceiveInput struct {
	ProcedureCode string
	Channel       Channel
	Applicant     Person
	Submitter     *Person
	Summary       string
	Documents     []SubmittedDocument
	Sets          int
	Fees          []Fee
	ReturnPlace   string
	// Scans are the files scanned at the counter, each tied to the document
	// line it copies (ScanFile.For); stored with the dossier.
	Scans []ScanFile
}

// GuideInput is the supplement guidance given at intake when papers are missing.
type GuideInput struct {
	ProcedureCode string
	Applicant     Person
	Summary       string
	Items         []string
	Reason        string
}

func normPerson(p *Person) {
	p.FullName, p.Address, p.Email = NFC(p.FullName), NFC(p.Address), strings.TrimSpace(p.Email)
	p.IDNumber, p.Phone, p.BirthDate = strings.TrimSpace(p.IDNumber), NormalizePhone(p.Phone), strings.TrimSpace(p.BirthDate)
	if p.Kind == 0 {
		p.Kind = ApplicantCitizen
	}
	if p.IDType == "" && p.IDNumber != "" {
		p.IDType = IDCCCD
	}
}

// ValidatePerson checks applicant fields and returns field errors keyed by
// prefix+field ("applicant.id_number"), plus a non-blocking warning.
func ValidatePerson(prefix string, p *Person) (fe []FieldError, warning string) {
	normPerson(p)
	if p.FullName == "" {
		fe = append(fe, FieldErr(prefix+"full_name", MsgFullName))
	}
	nameMax := MaxPersonName
	if p.Kind != ApplicantCitizen && p.Kind != 0 {
		nameMax = MaxOrgName
	}
	fe = append(fe, checkText(prefix+"full_name", p.FullName, nameMax)...)
	fe = append(fe, checkText(prefix+"address", p.Address, MaxAddress)...)
	if p.Kind < ApplicantCitizen || p.Kind > ApplicantOrganisation {
		fe = append(fe, FieldErr(prefix+"kind", MsgApplicantKind))
	}
	if p.IDNumber != "" {
		w, err := CheckPersonalID(p.IDType, p.IDNumber)
		if err != nil {
			fe = append(fe, fieldFrom(prefix+"id_number", err))
		}
		warning = w
	} else if p.Kind == ApplicantCitizen {
		fe = append(fe, FieldErr(prefix+"id_number", MsgIDNumberMissing))
	}
	if p.Phone != "" {
		if err := CheckPhone(p.Phone); err != nil {
			fe = append(fe, fieldFrom(prefix+"phone", err))
		}
	}
	if p.Email != "" {
		if err := CheckEmail(p.Email); err != nil {
			fe = append(fe, fieldFrom(prefix+"email", err))
		}
	}
	if p.BirthDate != "" {
		if t, err := time.Parse("2006-01-02", p.BirthDate); err != nil || t.Year() < 1900 {
			fe = append(fe, FieldErr(prefix+"birth_date", MsgBirthDate))
		} else if t.After(time.Now()) {
			fe = append(fe, FieldErr(prefix+"birth_date", MsgBirthFuture))
		}
	}
	return fe, warning
}

func (in *ReceiveInput) validate(op string, p *Procedure) error {
	fe, _ := ValidatePerson("applicant.", &in.Applicant)
	if in.Submitter != nil {
		f2, _ := ValidatePerson("submitter.", in.Submitter)
		fe = append(fe, f2...)
	}
	in.Summary, in.ReturnPlace = NFC(in.Summary), NFC(in.ReturnPlace)
	fe = append(fe, checkText("summary", in.Summary, 500)...)
	fe = append(fe, checkText("return_place", in.ReturnPlace, MaxAddress)...)
	if in.Channel == 0 {
		in.Channel = ChannelInPerson
	}
	if in.Channel < ChannelInPerson || in.Channel > ChannelPostal {
		fe = append(fe, FieldErr("channel", MsgChannel))
	}
	if in.Sets == 0 {
		in.Sets = 1
	}
	if in.Sets < 0 || in.Sets > 100 {
		fe = append(fe, FieldErr("sets", MsgSets))
	}
	if in.Summary == "" {
		in.Summary = p.Name
	}
	for i := range in.Documents {
		d := &in.Documents[i]
		d.Name = NFC(d.Name)
		if d.Originals < 0 || d.Copies < 0 || d.Photocopies < 0 || d.Originals > 999 || d.Copies > 999 || d.Photocopies > 999 {
			fe = append(fe, FieldErr(fmt.Sprintf("documents.%d", i), MsgDocCount))
		}
		if d.Name == "" {
			fe = append(fe, FieldErr(fmt.Sprintf("documents.%d", i), MsgDocName))
		}
	}
	for i := range in.Fees {
		f := &in.Fees[i]
		f.Name, f.ReceiptNo = NFC(f.Name), NFC(f.ReceiptNo)
		if f.Amount < 0 {
			fe = append(fe, FieldErr(fmt.Sprintf("fees.%d", i), MsgFeeNegative))
		}
	}
	if len(fe) > 0 {
		return E(op, KindInvalid, MsgDossierInvalid, fe)
	}
	return nil
}

// missingRequired names required documents of p that are absent from docs.
func missingRequired(p *Procedure, docs []SubmittedDocument) []string {
	var out []string
	for _, spec := range p.Documents {
		if !spec.Required {
			continue
		}
		found := false
		for _, d := range docs {
			if d.Name == spec.Name && d.Originals+d.Copies+d.Photocopies > 0 {
				found = true
				break
			}
		}
		if !found {
			out = append(out, spec.Name)
		}
	}
	return out
}

// PreviewDue computes the appointment date a dossier received at `at` would
// get: the receive screen shows it live before saving.
func (s *Service) PreviewDue(procedureCode string, ch Channel, at time.Time) (time.Time, bool, error) {
	var due time.Time
	var ok bool
	err := s.store.View(func(tx Tx) error {
		p, err := tx.Procedure(procedureCode)
		if err != nil {
			return err
		}
		cal, err := s.calendar(tx)
		if err != nil {
			return err
		}
		due, ok = cal.Due(at, p.RuleFor(ch))
		return nil
	})
	return due, ok, err
}

// newDossier starts a dossier from the input in a transaction: code, dates,
// register row.
func (s *Service) newDossier(op string, tx Tx, u *User, in *ReceiveInput) (*Dossier, *Calendar, error) {
	p, err := tx.Procedure(in.ProcedureCode)
	if Is(err, KindNotFound) {
		return nil, nil, E(op, KindInvalid, MsgChooseProcedure, FieldErr("procedure", MsgChooseProcedure))
	}
	if err != nil {
		return nil, nil, err
	}
	if err := in.validate(op, p); err != nil {
		return nil, nil, err
	}
	ag, err := tx.Agency()
	if err != nil {
		return nil, nil, E(op, KindInvalid, MsgNoAgency, err)
	}
	now := s.Now()
	cal, err := s.calendar(tx)
	if err != nil {
		return nil, nil, err
	}
	// The number last: on a shared store its row stays locked until the
	// transaction commits, and every other desk's receipt waits for it.
	seq, err := tx.NextSeq("dossier/" + ag.Code + "/" + now.Format("060102"))
	if err != nil {
		return nil, nil, err
	}
	d := &Dossier{
		Code: DossierCode(ag.Code, now, seq), AgencyCode: ag.Code,
		ProcedureCode: p.Code, ProcedureName: p.Name, Field: p.Field, Legal: p.Legal, TimeRule: p.RuleFor(in.Channel),
		Channel: in.Channel, Applicant: in.Applicant, Submitter: in.Submitter, Summary: in.Summary,
		Documents: in.Documents, Sets: in.Sets, Fees: in.Fees, ReturnPlace: in.ReturnPlace,
		ReceivedAt: now, Version: 1, UpdatedAt: now, Unit: "Bộ phận Một cửa", Handler: u.Ref(),
	}
	if d.ReturnPlace == "" {
		d.ReturnPlace = "Bộ phận Một cửa, " + ag.Name
	}
	return d, cal, nil
}

// Receive accepts a complete dossier at the counter (status 2): dossier code,
// appointment date, register row, history — all in one transaction. Receiving
// without a receipt is forbidden, so the caller prints form 01 from the result.
func (s *Service) Receive(u *User, in ReceiveInput) (*Dossier, error) {
	const op = "Receive"
	if !u.Has(RoleReceiver) {
		return nil, deny(op, ActReceive)
	}
	var out *Dossier
	err := s.store.Update(func(tx Tx) error {
		// Everything is read before newDossier takes the day's number (whose
		// row a shared store keeps locked until commit).
		st, err := tx.Settings()
		if err != nil {
			return err
		}
		p, _ := tx.Procedure(in.ProcedureCode)
		d, cal, err := s.newDossier(op, tx, u, &in)
		if err != nil {
			return err
		}
		if miss := missingRequired(p, in.Documents); len(miss) > 0 {
			return E(op, KindInvalid, M(MsgMissingDocs, strings.Join(miss, "; ")),
				FieldErr("documents", MsgMissing, strings.Join(miss, "; ")))
		}
		if d.Documents, err = attachScans(op, tx, d.Documents, in.Scans, nil); err != nil {
			return err
		}
		if due, ok := cal.Due(d.ReceivedAt, d.TimeRule); ok {
			d.DueAt, d.OriginalDue, d.StatsDue = due, due, due
		}
		row, err := tx.NextSeq(fmt.Sprintf("register/%s/%d", st.RegisterBook, d.ReceivedAt.Year()))
		if err != nil {
			return err
		}
		d.RegisterBook, d.RegisterRow = st.RegisterBook, row
		d.State, d.Status = StateReceived, StatusReceived
		if err := tx.PutDossier(d); err != nil {
			return err
		}
		note := "Tiếp nhận hồ sơ"
		if !d.DueAt.IsZero() {
			note += ", hẹn trả " + TimeDate(d.DueAt)
		}
		if err := appendHistory(tx, d, u.Ref(), ActReceive, "", StateReceived, note, d.ReceivedAt); err != nil {
			return err
		}
		out = d
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// RefuseAtIntake records a refused dossier (status 3, no appointment date) so
// that the refusal form can be printed and the register stays complete.
func (s *Service) RefuseAtIntake(u *User, in ReceiveInput, reason string) (*Dossier, error) {
	const op = "RefuseAtIntake"
	if !u.Has(RoleReceiver) {
		return nil, deny(op, ActRefuse)
	}
	reason = NFC(reason)
	if reason == "" {
		return nil, E(op, KindInvalid, MsgRefuseReason, FieldErr("reason", MsgRefuseIntakeReason))
	}
	if err := checkTexts(op, paragraph("reason", reason)); err != nil {
		return nil, err
	}
	var out *Dossier
	err := s.store.Update(func(tx Tx) error {
		d, _, err := s.newDossier(op, tx, u, &in)
		if err != nil {
			return err
		}
		d.State, d.Status, d.RefuseReason, d.FinishedAt = StateRefused, StatusRefused, reason, d.ReceivedAt
		if err := tx.PutDossier(d); err != nil {
			return err
		}
		if err := appendHistory(tx, d, u.Ref(), ActRefuse, "", StateRefused, reason, d.ReceivedAt); err != nil {
			return err
		}
		out = d
		return nil
	})
	return out, err
}

// GuideAtIntake records the supplement guidance given at the counter: nothing
// is received, no dossier code is used, the guidance can be printed (form 02).
func (s *Service) GuideAtIntake(u *User, in GuideInput) (*IntakeGuidance, error) {
	const op = "GuideAtIntake"
	if !u.Has(RoleReceiver) {
		return nil, deny(op, MsgGuide)
	}
	fe, _ := ValidatePerson("applicant.", &in.Applicant)
	// At intake the ID may not be at hand: only the name is required.
	fe = dropField(fe, "applicant.id_number", in.Applicant.IDNumber == "")
	var items []string
	for _, it := range in.Items {
		if it = NFC(it); it != "" {
			items = append(items, it)
		}
	}
	if len(items) == 0 {
		fe = append(fe, FieldErr("items", MsgListGuideItems))
	}
	fe = append(fe, textErrors(append(lineList("items", items),
		text{"summary", NFC(in.Summary), 500, false}, paragraph("reason", NFC(in.Reason)))...)...)
	if len(fe) > 0 {
		return nil, E(op, KindInvalid, MsgGuideInvalid, fe)
	}
	var out *IntakeGuidance
	err := s.store.Update(func(tx Tx) error {
		p, err := tx.Procedure(in.ProcedureCode)
		if err != nil {
			return E(op, KindInvalid, FieldErr("procedure", MsgChooseProcedure), err)
		}
		ag, err := tx.Agency()
		if err != nil {
			return err
		}
		now := s.Now()
		seq, err := tx.NextSeq("guidance/" + ag.Code + "/" + now.Format("060102"))
		if err != nil {
			return err
		}
		g := &IntakeGuidance{ID: fmt.Sprintf("%s-%s-G%04d", ag.Code, now.Format("060102"), seq), AgencyCode: ag.Code,
			ProcedureCode: p.Code, ProcedureName: p.Name, Applicant: in.Applicant, Summary: NFC(in.Summary),
			Items: items, Reason: NFC(in.Reason), By: u.Ref(), At: now}
		if g.Summary == "" {
			g.Summary = p.Name
		}
		if err := tx.PutGuidance(g); err != nil {
			return err
		}
		out = g
		return nil
	})
	return out, err
}

func dropField(fe []FieldError, field string, cond bool) []FieldError {
	if !cond {
		return fe
	}
	out := fe[:0]
	for _, f := range fe {
		if f.Field != field {
			out = append(out, f)
		}
	}
	return out
}

// SearchGuidance lists the intake guidance given at the counter, newest
// first: text matches the applicant's name (diacritics optional), phone,
// ID number, the guidance number or its date (dd/mm/yyyy); blank lists all.
func (s *Service) SearchGuidance(text string, limit int) ([]IntakeGuidance, error) {
	var all []IntakeGuidance
	if err := s.store.View(func(tx Tx) (err error) { all, err = tx.Guidances(); return }); err != nil {
		return nil, err
	}
	q := Fold(NFC(text))
	qPhone := NormalizePhone(text)
	var out []IntakeGuidance
	for i := len(all) - 1; i >= 0; i-- {
		g := all[i]
		if q != "" {
			at := g.At.In(Vietnam)
			hit := strings.Contains(Fold(g.Applicant.FullName), q) ||
				strings.Contains(Fold(g.ID), q) ||
				qPhone != "" && (strings.Contains(NormalizePhone(g.Applicant.Phone), qPhone) || strings.Contains(g.Applicant.IDNumber, qPhone)) ||
				strings.Contains(ShortDate(at), q) || strings.Contains(at.Format("2/1/2006"), q)
			if !hit {
				continue
			}
		}
		out = append(out, g)
		if limit > 0 && len(out) >= limit {
			break
		}
	}
	return out, nil
}

// CheckReceive validates a receipt without storing anything: every field
// error at once (person, counts, procedure, missing required documents), so
// that the counter shows them all on the first try.
func (s *Service) CheckReceive(in ReceiveInput) error {
	const op = "Receive"
	var fe []FieldError
	var p *Procedure
	err := s.store.View(func(tx Tx) (err error) { p, err = tx.Procedure(in.ProcedureCode); return })
	if err != nil || in.ProcedureCode == "" {
		fe = append(fe, FieldErr("procedure", MsgChooseProcedure))
		p = &Procedure{}
	}
	if err := in.validate(op, p); err != nil {
		var ae *Error
		if errors.As(err, &ae) {
			fe = append(fe, ae.Fields...)
		}
	}
	if in.ProcedureCode != "" && p.Code != "" {
		if miss := missingRequired(p, in.Documents); len(miss) > 0 {
			fe = append(fe, FieldErr("documents", MsgMissingDocuments, strings.Join(miss, "; ")))
		}
	}
	if len(fe) > 0 {
		return E(op, KindInvalid, MsgDossierInvalid, fe)
	}
	return nil
}
