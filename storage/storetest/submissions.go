package storetest

import (
	"testing"
	"time"

	"motcua/app"
)

// testSubmissions: online submissions round-trip, list oldest submission
// first (pending only or all), a replaced one leaves the pending list, an
// empty store lists none and a missing one is NotFound.
func testSubmissions(t *testing.T, b Backend) {
	s := b.Open(t)
	if err := s.View(func(tx app.Tx) error {
		got, err := tx.ListSubmissions(false)
		if len(got) != 0 {
			t.Errorf("empty store lists %d submissions", len(got))
		}
		_, nerr := tx.Submission("none")
		kindIs(t, nerr, app.KindNotFound)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	sub := func(id string, at time.Time) *app.OnlineSubmission {
		return &app.OnlineSubmission{ID: id, Portal: "DVC-H22", PortalRef: "P-" + id, SubmittedAt: at, State: app.SubmissionPending,
			Dossier:  app.Dossier{ProcedureCode: "1.001193", Applicant: app.Person{FullName: "Nguyễn Văn An"}, State: app.StateSubmitted, Status: app.StatusSubmitted, Channel: app.ChannelOnline},
			FormData: map[string]string{"ho_ten_tre": "Nguyễn Văn Bình"}}
	}
	update(t, s, func(tx app.Tx) error {
		for _, x := range []*app.OnlineSubmission{sub("c", day0.Add(2*time.Hour)), sub("a", day0.Add(time.Hour)), sub("b", day0.Add(3*time.Hour))} {
			if err := tx.PutSubmission(x); err != nil {
				return err
			}
		}
		return nil
	})
	err := s.Update(func(tx app.Tx) error {
		if err := tx.PutSubmission(sub("rolled-back", day0)); err != nil {
			return err
		}
		return app.E("test", app.KindConflict, "roll back")
	})
	kindIs(t, err, app.KindConflict)
	ids := func(pending bool) []string {
		var out []string
		if err := s.View(func(tx app.Tx) error {
			l, err := tx.ListSubmissions(pending)
			for _, x := range l {
				out = append(out, x.ID)
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	if got := ids(true); !sameJSON(got, []string{"a", "c", "b"}) {
		t.Errorf("pending = %v, want [a c b]", got)
	}
	update(t, s, func(tx app.Tx) error {
		x, err := tx.Submission("c")
		if err != nil {
			return err
		}
		if x.FormData["ho_ten_tre"] != "Nguyễn Văn Bình" || x.Dossier.Applicant.FullName != "Nguyễn Văn An" || !x.SubmittedAt.Equal(day0.Add(2*time.Hour)) {
			t.Errorf("round trip: %+v", x)
		}
		x.State, x.LocalCode = app.SubmissionAccepted, Agency+"-250115-0001"
		return tx.PutSubmission(x)
	})
	if got := ids(true); !sameJSON(got, []string{"a", "b"}) {
		t.Errorf("pending after a decision = %v, want [a b]", got)
	}
	if got := ids(false); !sameJSON(got, []string{"a", "c", "b"}) {
		t.Errorf("all = %v, want [a c b]", got)
	}
}
