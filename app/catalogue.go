package app

import (
	"slices"
	"strings"
	"time"
)

// Procedures lists the catalogue, loading the seed catalogue on first use.
func (s *Service) Procedures() ([]Procedure, error) {
	var ps []Procedure
	err := s.store.View(func(tx Tx) (err error) { ps, err = tx.Procedures(); return })
	if err == nil && len(ps) == 0 {
		err = s.store.Update(func(tx Tx) error {
			if err := s.ensureCatalogue(tx); err != nil {
				return err
			}
			ps, err = tx.Procedures()
			return err
		})
	}
	return ps, err
}

// Procedure returns one catalogue entry.
func (s *Service) Procedure(code string) (*Procedure, error) {
	var p *Procedure
	err := s.store.View(func(tx Tx) (err error) { p, err = tx.Procedure(code); return })
	return p, err
}

// SearchProcedures finds active procedures whose code or name contains every
// word of text, diacritics optional ("khai sinh", "1.0011", "chung thuc").
func (s *Service) SearchProcedures(text string) ([]Procedure, error) {
	ps, err := s.Procedures()
	if err != nil {
		return nil, err
	}
	words := strings.Fields(Fold(text))
	var out []Procedure
	for _, p := range ps {
		if !p.Active {
			continue
		}
		hay := Fold(p.Code + " " + p.Name + " " + p.Field)
		ok := true
		for _, w := range words {
			if !strings.Contains(hay, w) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, p)
		}
	}
	return out, nil
}

// ValidateProcedure checks a catalogue entry and normalises its text.
func ValidateProcedure(p *Procedure) error {
	const op = "Procedure"
	p.Code, p.Name, p.Field = strings.TrimSpace(p.Code), NFC(p.Name), NFC(p.Field)
	p.Legal.Text, p.Legal.Version = NFC(p.Legal.Text), NFC(p.Legal.Version)
	p.ResultKind, p.ServiceLevel = NFC(p.ResultKind), NFC(p.ServiceLevel)
	p.Fee.Name, p.Fee.Note, p.Time.Note = NFC(p.Fee.Name), NFC(p.Fee.Note), NFC(p.Time.Note)
	var fe []FieldError
	if err := ValidProcedureCode(p.Code); err != nil {
		fe = append(fe, fieldFrom("code", err))
	}
	if p.Name == "" {
		fe = append(fe, FieldErr("name", MsgProcName))
	}
	if p.Field == "" {
		fe = append(fe, FieldErr("field", MsgProcField))
	}
	if err := p.Time.Validate(); err != nil {
		fe = append(fe, fieldFrom("time", err))
	}
	if p.OnlineTime != nil {
		if err := p.OnlineTime.Validate(); err != nil {
			fe = append(fe, fieldFrom("online_time", err))
		}
	}
	switch p.Fee.Kind {
	case FeeFree, FeeFixed, FeePerCase, FeePerPage:
	default:
		fe = append(fe, FieldErr("fee", MsgFeeRule))
	}
	if p.Fee.Amount < 0 || p.Fee.NextAmount < 0 || p.Fee.MaxPerCopy < 0 || p.Fee.FirstPages < 0 {
		fe = append(fe, FieldErr("fee", MsgFeeAmountNegative))
	}
	if len(p.Documents) == 0 {
		fe = append(fe, FieldErr("documents", MsgProcNoDocs))
	}
	for i := range p.Documents {
		d := &p.Documents[i]
		d.Name, d.Note = NFC(d.Name), NFC(d.Note)
		if d.Name == "" || d.Originals < 0 || d.Copies < 0 {
			fe = append(fe, FieldErr("documents", MsgProcDocsInvalid))
			break
		}
	}
	if len(fe) > 0 {
		return E(op, KindInvalid, MsgProcInvalid, fe)
	}
	return nil
}

// SaveProcedure adds or changes a catalogue entry (administrator).
func (s *Service) SaveProcedure(u *User, p Procedure) error {
	const op = "SaveProcedure"
	if err := requireRole(op, u, RoleAdmin); err != nil {
		return err
	}
	p.Documents = slices.Clone(p.Documents)
	if err := ValidateProcedure(&p); err != nil {
		return err
	}
	p.UpdatedAt = s.Now()
	return s.store.Update(func(tx Tx) error {
		if err := tx.PutProcedure(&p); err != nil {
			return err
		}
		return s.audit(tx, u.Ref(), "procedure.save", p.Code, p.Name)
	})
}

// FeeFor computes the fee lines of a procedure for what the officer counted.
func (s *Service) FeeFor(code string, in FeeInput) ([]Fee, error) {
	p, err := s.Procedure(code)
	if err != nil {
		return nil, err
	}
	if p.Fee.Kind == FeeFree || p.Fee.Kind == "" {
		return nil, nil
	}
	name := p.Fee.Name
	if name == "" {
		name = "Phí, lệ phí"
	}
	return []Fee{{Name: name, Amount: p.Fee.Compute(in)}}, nil
}

// calendar builds the office calendar inside a transaction.
func (s *Service) calendar(tx Tx) (*Calendar, error) {
	hours := DefaultOfficeHours()
	if a, err := tx.Agency(); err == nil && len(a.Hours) > 0 {
		hours = a.Hours
	} else if err != nil && !Is(err, KindNotFound) {
		return nil, err
	}
	es, err := tx.CalendarEntries()
	if err != nil {
		return nil, err
	}
	return NewCalendar(hours, es), nil
}

// Calendar returns the office calendar.
func (s *Service) Calendar() (*Calendar, error) {
	var c *Calendar
	err := s.store.View(func(tx Tx) (err error) { c, err = s.calendar(tx); return })
	return c, err
}

// CalendarEntries lists the overrides of one year.
func (s *Service) CalendarEntries(year int) ([]CalendarEntry, error) {
	var out []CalendarEntry
	err := s.store.View(func(tx Tx) error {
		es, err := tx.CalendarEntries()
		prefix := time.Date(year, 1, 1, 0, 0, 0, 0, Vietnam).Format("2006-")
		for _, e := range es {
			if strings.HasPrefix(e.Date, prefix) {
				out = append(out, e)
			}
		}
		return err
	})
	return out, err
}

// PutCalendarEntry adds or replaces a day_off / working_day entry (administrator).
func (s *Service) PutCalendarEntry(u *User, e CalendarEntry) error {
	const op = "PutCalendarEntry"
	if err := requireRole(op, u, RoleAdmin); err != nil {
		return err
	}
	e.Note, e.Source = NFC(e.Note), NFC(e.Source)
	if _, err := time.ParseInLocation("2006-01-02", e.Date, Vietnam); err != nil {
		return E(op, KindInvalid, FieldErr("date", MsgHolidayDate))
	}
	if e.Kind != DayOff && e.Kind != WorkingDay {
		return E(op, KindInvalid, FieldErr("kind", MsgHolidayKind))
	}
	return s.store.Update(func(tx Tx) error {
		if err := tx.PutCalendarEntry(e); err != nil {
			return err
		}
		return s.audit(tx, u.Ref(), "calendar.put", e.Date, string(e.Kind)+" "+e.Note)
	})
}

// DeleteCalendarEntry removes an override (administrator).
func (s *Service) DeleteCalendarEntry(u *User, date string) error {
	const op = "DeleteCalendarEntry"
	if err := requireRole(op, u, RoleAdmin); err != nil {
		return err
	}
	return s.store.Update(func(tx Tx) error {
		if err := tx.DeleteCalendarEntry(date); err != nil {
			return err
		}
		return s.audit(tx, u.Ref(), "calendar.delete", date, "")
	})
}

// RegenerateYear replaces a year's entries with the statutory pre-fill
// (administrator). Entries added by hand for that year are removed.
func (s *Service) RegenerateYear(u *User, year int) error {
	const op = "RegenerateYear"
	if err := requireRole(op, u, RoleAdmin); err != nil {
		return err
	}
	if year < 2000 || year > 2199 {
		return E(op, KindInvalid, FieldErr("year", MsgYear))
	}
	prefix := time.Date(year, 1, 1, 0, 0, 0, 0, Vietnam).Format("2006-")
	return s.store.Update(func(tx Tx) error {
		es, err := tx.CalendarEntries()
		if err != nil {
			return err
		}
		for _, e := range es {
			if strings.HasPrefix(e.Date, prefix) {
				if err := tx.DeleteCalendarEntry(e.Date); err != nil {
					return err
				}
			}
		}
		for _, e := range StatutoryHolidays(year) {
			if err := tx.PutCalendarEntry(e); err != nil {
				return err
			}
		}
		return s.audit(tx, u.Ref(), "calendar.regenerate", prefix[:4], "")
	})
}
