package app

import "time"

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
	err := s.store.View(func(tx Tx) (err error) { p, err = tx.ListDossiers(q); return })
	return p, err
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
