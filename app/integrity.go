package app

import (
	"encoding/json"
	"errors"
	"fmt"
)

// HistoryScanner walks every dossier's history: a full scan, for the explicit
// integrity check only. storage.DB implements it.
type HistoryScanner interface {
	ForEachHistory(fn func(code string, entries []HistoryEntry) error) error
}

// IntegrityReport is the result of "Kiểm tra toàn vẹn dữ liệu".
type IntegrityReport struct {
	Dossiers int          // chains checked
	Audit    int          // administration log entries checked
	Breaks   []ChainBreak // empty when everything verifies
	Full     bool
}

// OK reports whether nothing is broken.
func (r *IntegrityReport) OK() bool { return len(r.Breaks) == 0 }

// CheckIntegrity verifies the hash chains. The quick check (full=false, run
// at start-up) covers the administration log and the 200 most recently
// received dossiers; the full check covers every dossier and also compares
// each dossier's state with the last entry of its history, so an edit of the
// dossier record itself is caught too.
func (s *Service) CheckIntegrity(full bool) (*IntegrityReport, error) {
	rep := &IntegrityReport{Full: full}
	err := s.store.View(func(tx Tx) error {
		var all []AuditEntry
		for after := 0; ; {
			page, err := tx.Audit(after, 1000)
			if err != nil {
				rep.Breaks = append(rep.Breaks, ChainBreak{"audit", after + 1, M(MsgBreakAuditUnreadable, err)})
				break
			}
			all = append(all, page...)
			if len(page) < 1000 {
				break
			}
			after = page[len(page)-1].Seq
		}
		rep.Audit = len(all)
		if b := VerifyAudit(all); b != nil {
			rep.Breaks = append(rep.Breaks, *b)
		}
		if full {
			return nil
		}
		p, err := tx.ListDossiers(Query{Sort: SortReceivedDesc, Limit: 200})
		if err != nil {
			return err
		}
		for _, it := range p.Items {
			rep.Dossiers++
			d, err := tx.Dossier(it.Code)
			if err != nil {
				rep.Breaks = append(rep.Breaks, ChainBreak{it.Code, 0, M(MsgBreakDossierUnreadable, err)})
				continue
			}
			rep.check(d.Code, d.History, d)
		}
		return nil
	})
	if err != nil || !full {
		return rep, err
	}
	sc, ok := s.store.(HistoryScanner)
	if !ok {
		return rep, E("CheckIntegrity", KindOther, MsgNoIntegrityStore)
	}
	err = sc.ForEachHistory(func(code string, es []HistoryEntry) error {
		rep.Dossiers++
		var d *Dossier
		if err := s.store.View(func(tx Tx) (err error) { d, err = tx.Dossier(code); return }); err != nil {
			rep.Breaks = append(rep.Breaks, ChainBreak{code, 0, M(MsgBreakOrphanHistory, err)})
			return nil
		}
		rep.check(code, es, d)
		return nil
	})
	if err != nil {
		rep.Breaks = append(rep.Breaks, ChainBreak{"history", 0, M(MsgBreakHistoryUnreadable, err)})
	}
	return rep, nil
}

func (r *IntegrityReport) check(code string, es []HistoryEntry, d *Dossier) {
	if b := VerifyHistory(code, es); b != nil {
		r.Breaks = append(r.Breaks, *b)
		return
	}
	if len(es) == 0 {
		r.Breaks = append(r.Breaks, ChainBreak{code, 0, M(MsgBreakNoHistory)})
		return
	}
	if last := es[len(es)-1]; d.State != last.To {
		r.Breaks = append(r.Breaks, ChainBreak{code, last.Seq,
			M(MsgBreakStateMismatch, d.State, last.To)})
	}
}

// ParseCatalogue reads a catalogue file (JSON array of procedures, the format
// of resources/catalogue.json) and validates every entry.
func ParseCatalogue(data []byte) ([]Procedure, error) {
	const op = "ParseCatalogue"
	if len(data) > 4<<20 {
		return nil, E(op, KindInvalid, MsgCatalogueTooBig)
	}
	var ps []Procedure
	if err := json.Unmarshal(data, &ps); err != nil {
		return nil, E(op, KindInvalid, M(MsgCatalogueJSON, err.Error()))
	}
	if len(ps) == 0 {
		return nil, E(op, KindInvalid, MsgCatalogueEmpty)
	}
	seen := map[string]bool{}
	for i := range ps {
		if err := ValidateProcedure(&ps[i]); err != nil {
			var e *Error
			if !errors.As(err, &e) {
				return nil, E(op, KindInvalid, err)
			}
			e.ID, e.Args = MsgCatalogueEntry, []any{i + 1, ps[i].Code, e.Message()}
			return nil, e
		}
		if seen[ps[i].Code] {
			return nil, E(op, KindInvalid, M(MsgCatalogueDup, ps[i].Code))
		}
		seen[ps[i].Code] = true
	}
	return ps, nil
}

// ImportCatalogue adds or replaces procedures from a catalogue file
// (administrator); all or nothing.
func (s *Service) ImportCatalogue(u *User, data []byte) (int, error) {
	const op = "ImportCatalogue"
	if err := requireRole(op, u, RoleAdmin); err != nil {
		return 0, err
	}
	ps, err := ParseCatalogue(data)
	if err != nil {
		return 0, err
	}
	now := s.Now()
	err = s.store.Update(func(tx Tx) error {
		for i := range ps {
			ps[i].UpdatedAt = now
			if err := tx.PutProcedure(&ps[i]); err != nil {
				return err
			}
		}
		return s.audit(tx, u.Ref(), "procedure.import", "", fmt.Sprintf("%d thủ tục", len(ps)))
	})
	return len(ps), err
}

// RecordAdmin appends an administrative action done outside the use cases
// (backup, restore) to the administration log.
func (s *Service) RecordAdmin(u *User, action, target, note string) error {
	return s.store.Update(func(tx Tx) error { return s.audit(tx, u.Ref(), action, target, note) })
}
