package app_test

import (
	"errors"
	"slices"
	"sync"
	"testing"

	"motcua/app"
)

// recorder collects the changes a subscriber is told of.
type recorder struct {
	mu  sync.Mutex
	got []app.Change
}

func (r *recorder) add(c app.Change) {
	r.mu.Lock()
	r.got = append(r.got, c)
	r.mu.Unlock()
}

// take returns the changes seen since the last take.
func (r *recorder) take() []app.Change {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.got
	r.got = nil
	return out
}

// TestChangeFeedAnnouncesCommittedChanges: a subscriber hears of every
// change committed through the service — the use cases' and the
// transactions the liên thông client opens through Service.Store — after
// the commit, and of nothing a rolled-back transaction or a refused use case
// wrote.
func TestChangeFeedAnnouncesCommittedChanges(t *testing.T) {
	o := newOffice(t)
	var r recorder
	cancel := o.svc.Subscribe(r.add)

	d := o.receive()
	if got := r.take(); !slices.Contains(got, app.Change{Kind: app.ChangeDossier, Key: d.Code}) {
		t.Fatalf("receipt: the feed said %v, want the dossier %s", got, d.Code)
	}
	if _, err := o.svc.Handover(o.rec, d.Code, app.HandoverInput{ToUser: "chuyenvien"}); err != nil {
		t.Fatal(err)
	}
	if got := r.take(); !slices.Contains(got, app.Change{Kind: app.ChangeDossier, Key: d.Code}) {
		t.Fatalf("hand-over: the feed said %v", got)
	}

	// A use case that is refused writes nothing and announces nothing.
	if _, err := o.svc.Receive(o.rec, app.ReceiveInput{ProcedureCode: "1.004873"}); err == nil {
		t.Fatal("a receipt without an applicant was accepted")
	}
	// A transaction that fails after writing is rolled back: nothing heard.
	boom := errors.New("boom")
	err := o.svc.Store().Update(func(tx app.Tx) error {
		x, err := tx.Dossier(d.Code)
		if err != nil {
			return err
		}
		x.Version++
		x.Summary = "không lưu"
		if err := tx.PutDossier(x); err != nil {
			return err
		}
		if err := tx.PutIncoming(&app.IncomingTransfer{ID: "t-rolled-back", FromAgency: "000.00.02.H22", State: app.TransferPending}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("rolled-back transaction: %v", err)
	}
	if got := r.take(); len(got) != 0 {
		t.Fatalf("a rolled-back transaction was announced: %v", got)
	}
	if x, err := o.svc.Dossier(d.Code); err != nil || x.Summary == "không lưu" {
		t.Fatalf("the rolled-back change is in the store: %v", err)
	}

	// The client's own transactions (an incoming transfer from the hub) go
	// through Service.Store and are announced once committed.
	err = o.svc.Store().Update(func(tx app.Tx) error {
		return tx.PutIncoming(&app.IncomingTransfer{ID: "t-1", FromAgency: "000.00.02.H22", State: app.TransferPending})
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.take(); !slices.Equal(got, []app.Change{{Kind: app.ChangeIncoming, Key: "t-1"}}) {
		t.Fatalf("incoming transfer: the feed said %v", got)
	}

	// What other desks changed reaches the subscribers through Announce.
	o.svc.Announce(app.Change{Kind: app.ChangeResync})
	if got := r.take(); !slices.Equal(got, []app.Change{{Kind: app.ChangeResync}}) {
		t.Fatalf("announced: %v", got)
	}

	// Under the wrapper is the store itself, with its own interfaces.
	if st := app.Unwrap(o.svc.Store()); st == o.svc.Store() || app.Unwrap(st) != st {
		t.Error("Unwrap does not reach the store under the service")
	}

	cancel()
	o.receive()
	if got := r.take(); len(got) != 0 {
		t.Fatalf("a cancelled subscriber still hears %v", got)
	}
}
