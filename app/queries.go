package app

import (
	"slices"
	"strings"
	"time"
)

// Dossier returns one dossier with its history.
func (s *Service) Dossier(code string) (*Dossier, error) {
	var d *Dossier
	err := s.store.View(func(tx Tx) (err error) { d, err = tx.Dossier(code); return })
	return d, err
}

// List returns a page of dossiers answered from an index.
func (s *Service) List(q Query) (Page, error) {
	q.Text = NFC(q.Text)
	var p Page
	err := s.store.View(func(tx Tx) (err error) {
		if p, err = tx.ListDossiers(q); err != nil {
			return err
		}
		return addReferenced(tx, q, &p)
	})
	return p, err
}

// addReferenced puts first on the first page of a search by code the
// dossiers taken in here from another agency whose code there (the sender's,
// on the citizen's receipt) begins with the text: the sender's code is
// searchable at the recipient (issue 13.5). The incoming transfers are few
// (one per dossier received by transfer), so they are read whole rather than
// indexed.
func addReferenced(tx Tx, q Query, p *Page) error {
	text := strings.ToUpper(strings.TrimSpace(q.Text))
	// Another agency's code begins with its agency code (dots); a partial
	// code such as "261201-0001" is this office's own and is answered by the
	// index alone, without reading every incoming transfer.
	if len(text) < 5 || q.After != "" || !strings.Contains(text, ".") {
		return nil
	}
	// This office's own codes (the usual search) need no look at the
	// incoming transfers.
	if ag, err := tx.Agency(); err == nil && ag.Code != "" && strings.HasPrefix(text, strings.ToUpper(ag.Code)+"-") {
		return nil
	}
	ins, err := tx.ListIncoming(false)
	if err != nil {
		return err
	}
	var add []DossierSummary
	for _, in := range ins {
		if in.LocalCode == "" || !strings.HasPrefix(strings.ToUpper(in.Dossier.Code), text) ||
			slices.ContainsFunc(p.Items, func(r DossierSummary) bool { return r.Code == in.LocalCode }) {
			continue
		}
		d, err := tx.Dossier(in.LocalCode)
		if Is(err, KindNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if (len(q.States) > 0 && !slices.Contains(q.States, d.State)) || (q.OpenOnly && !d.State.Open()) ||
			(q.ProcedureCode != "" && d.ProcedureCode != q.ProcedureCode) {
			continue
		}
		add = append(add, d.Row())
	}
	p.Items = append(add, p.Items...)
	return nil
}

// Counts returns the number of dossiers in each state.
func (s *Service) Counts() (map[State]int, error) {
	var m map[State]int
	err := s.store.View(func(tx Tx) (err error) { m, err = tx.CountByState(); return })
	return m, err
}

// Overdue is the "Hồ sơ quá hạn" queue: open dossiers whose appointment has
// passed, the most overdue first. A dossier waiting for the citizen (5) or
// for fees (6) is not the office's delay: it is left out (domain.md §5.4).
func (s *Service) Overdue(limit int) ([]DossierSummary, error) {
	p, err := s.List(Query{OpenOnly: true, States: Running(), DueBefore: s.Now(), Sort: SortDueAsc, Limit: limit})
	return p.Items, err
}

// Mine is "Hồ sơ của tôi": the open dossiers handed to u (their current
// handler), newest received first, up to limit (at most 500), from the
// handler index. Without a user the list is empty.
func (s *Service) Mine(u *User, limit int) ([]DossierSummary, error) {
	if u == nil || u.Username == "" {
		return nil, nil // nothing is handed to nobody
	}
	if limit <= 0 || limit > 500 {
		limit = 500
	}
	p, err := s.List(Query{Handler: u.Username, Limit: limit})
	return p.Items, err
}

// DueSoon is the "Hồ sơ tới hạn" queue: open dossiers not yet overdue and due
// within the next Settings.DueSoonHours working hours.
func (s *Service) DueSoon(limit int) ([]DossierSummary, error) {
	var out []DossierSummary
	err := s.store.View(func(tx Tx) error {
		st, err := tx.Settings()
		if err != nil {
			return err
		}
		cal, err := s.calendar(tx)
		if err != nil {
			return err
		}
		now := s.Now()
		horizon := cal.AddWorkingHours(cal.Normalize(now), st.DueSoonHours)
		// One index range: due in [now, horizon], soonest first.
		q := Query{OpenOnly: true, States: Running(), DueFrom: now, DueBefore: horizon.Add(time.Nanosecond), Sort: SortDueAsc, Limit: 500}
		if limit > 0 && limit < q.Limit {
			q.Limit = limit
		}
		for {
			p, err := tx.ListDossiers(q)
			if err != nil {
				return err
			}
			for _, it := range p.Items {
				out = append(out, it)
				if limit > 0 && len(out) >= limit {
					return nil
				}
			}
			if p.Next == "" {
				return nil
			}
			q.After = p.Next
		}
	})
	return out, err
}
