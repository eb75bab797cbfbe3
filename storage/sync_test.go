package storage

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"motcua/app"
)

func item(id, queue string) *app.OutboxItem {
	return &app.OutboxItem{ID: id, Queue: queue, Kind: app.OutboxStatus, IdempotencyKey: "k-" + id,
		Payload: json.RawMessage(`{"status":4}`), CreatedAt: day0}
}

func ids(items []app.OutboxItem) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.ID)
	}
	return out
}

func TestOutbox(t *testing.T) {
	db := openTemp(t)
	qa, qb, qc := testAgency+"-250115-0001", testAgency+"-250115-0002", testAgency+"-250115-0003"
	update(t, db, func(tx app.Tx) error {
		for _, it := range []*app.OutboxItem{item("01", qb), item("02", qa), item("03", qb), item("04", qc), item("05", qa)} {
			if err := tx.Enqueue(it); err != nil {
				return err
			}
		}
		return nil
	})
	kindIs(t, db.Update(func(tx app.Tx) error { return tx.Enqueue(item("03", qa)) }), app.KindConflict)
	kindIs(t, db.Update(func(tx app.Tx) error { return tx.Enqueue(item("", qa)) }), app.KindInvalid)
	kindIs(t, db.Update(func(tx app.Tx) error { return tx.Enqueue(item("09", "")) }), app.KindInvalid)

	check := func(heads, all []string, pending, parked int) {
		t.Helper()
		db.View(func(tx app.Tx) error {
			h, _ := tx.OutboxHeads(0)
			a, _ := tx.OutboxItems(0)
			p, k, _ := tx.OutboxCount()
			if !slices.Equal(ids(h), heads) || !slices.Equal(ids(a), all) || p != pending || k != parked {
				t.Errorf("heads %v items %v count %d/%d; want %v %v %d/%d", ids(h), ids(a), p, k, heads, all, pending, parked)
			}
			return nil
		})
	}
	check([]string{"01", "02", "04"}, []string{"01", "02", "03", "04", "05"}, 5, 0)
	db.View(func(tx app.Tx) error {
		h, _ := tx.OutboxHeads(2)
		if !slices.Equal(ids(h), []string{"01", "02"}) {
			t.Errorf("OutboxHeads(2) = %v", ids(h))
		}
		a, _ := tx.OutboxItems(3)
		if len(a) != 3 {
			t.Errorf("OutboxItems(3) = %v", ids(a))
		}
		it, err := tx.OutboxItem("03")
		if err != nil || it.Queue != qb || string(it.Payload) != `{"status":4}` {
			t.Errorf("OutboxItem = %+v, %v", it, err)
		}
		return nil
	})

	// A failed attempt, then parking: counters move, the head stays.
	update(t, db, func(tx app.Tx) error {
		it, _ := tx.OutboxItem("02")
		it.Attempts, it.NextAttempt, it.LastError = 1, day0.Add(time.Minute), "503"
		if err := tx.PutOutboxItem(it); err != nil {
			return err
		}
		it.Parked, it.Problem = true, "Hồ sơ không hợp lệ"
		return tx.PutOutboxItem(it)
	})
	check([]string{"01", "02", "04"}, []string{"01", "02", "03", "04", "05"}, 4, 1)
	kindIs(t, db.Update(func(tx app.Tx) error { it := item("02", qc); return tx.PutOutboxItem(it) }), app.KindInvalid)
	kindIs(t, db.Update(func(tx app.Tx) error { return tx.PutOutboxItem(item("77", qa)) }), app.KindNotFound)

	// Sent: the next item of the queue becomes its head, ordered among heads by ID.
	update(t, db, func(tx app.Tx) error { return tx.DeleteOutboxItem("01") })
	check([]string{"02", "03", "04"}, []string{"02", "03", "04", "05"}, 3, 1)
	update(t, db, func(tx app.Tx) error { return tx.DeleteOutboxItem("02") }) // a person discarded the parked item
	check([]string{"03", "04", "05"}, []string{"03", "04", "05"}, 3, 0)
	update(t, db, func(tx app.Tx) error { return tx.DeleteOutboxItem("04") })
	check([]string{"03", "05"}, []string{"03", "05"}, 2, 0)
	db.View(func(tx app.Tx) error {
		_, err := tx.OutboxItem("04")
		kindIs(t, err, app.KindNotFound)
		return nil
	})
	kindIs(t, db.Update(func(tx app.Tx) error { return tx.DeleteOutboxItem("04") }), app.KindNotFound)
	// An item enqueued with an ID before its queue's head becomes the head.
	update(t, db, func(tx app.Tx) error { return tx.Enqueue(item("00", qa)) })
	check([]string{"00", "03"}, []string{"00", "03", "05"}, 3, 0)
	update(t, db, func(tx app.Tx) error {
		for _, id := range []string{"00", "03", "05"} {
			if err := tx.DeleteOutboxItem(id); err != nil {
				return err
			}
		}
		return nil
	})
	check(nil, nil, 0, 0)
}

func TestInbox(t *testing.T) {
	db := openTemp(t)
	db.View(func(tx app.Tx) error {
		c, err := tx.InboxCursor()
		if err != nil || c != "" {
			t.Errorf("cursor of a new database = %q, %v", c, err)
		}
		seen, _ := tx.SeenEvent("ev1")
		if seen {
			t.Error("ev1 seen before marking")
		}
		_, err = tx.Incoming("t1")
		kindIs(t, err, app.KindNotFound)
		return nil
	})
	update(t, db, func(tx app.Tx) error {
		if err := tx.SetInboxCursor("c-42"); err != nil {
			return err
		}
		if err := tx.MarkEvent("ev1"); err != nil {
			return err
		}
		for i, st := range []app.TransferState{app.TransferPending, app.TransferAccepted, app.TransferPending, app.TransferRejected} {
			in := &app.IncomingTransfer{ID: fmt.Sprintf("t%d", i+1), FromAgency: "000.00.02.H22", State: st,
				ArrivedAt: day0.Add(time.Duration(i) * time.Hour), Dossier: app.Dossier{Code: "000.00.02.H22-250115-0001"}}
			if err := tx.PutIncoming(in); err != nil {
				return err
			}
		}
		return nil
	})
	// t1 is decided later: it moves in the pending list, keeps its arrival.
	update(t, db, func(tx app.Tx) error {
		in, _ := tx.Incoming("t1")
		in.State, in.LocalCode = "accepted", testAgency+"-250115-0009"
		return tx.PutIncoming(in)
	})
	// t2 is re-sent with a later arrival: it moves to the top.
	update(t, db, func(tx app.Tx) error {
		in, _ := tx.Incoming("t2")
		in.ArrivedAt = day0.Add(10 * time.Hour)
		return tx.PutIncoming(in)
	})
	db.View(func(tx app.Tx) error {
		c, _ := tx.InboxCursor()
		seen1, _ := tx.SeenEvent("ev1")
		seen2, _ := tx.SeenEvent("ev2")
		if c != "c-42" || !seen1 || seen2 {
			t.Errorf("cursor %q, seen %v %v", c, seen1, seen2)
		}
		all, _ := tx.ListIncoming(false)
		pending, _ := tx.ListIncoming(true)
		var a, p []string
		for _, in := range all {
			a = append(a, in.ID)
		}
		for _, in := range pending {
			p = append(p, in.ID)
		}
		if !slices.Equal(a, []string{"t2", "t4", "t3", "t1"}) || !slices.Equal(p, []string{"t3"}) {
			t.Errorf("ListIncoming = %v, pending %v", a, p)
		}
		in, _ := tx.Incoming("t1")
		if in.LocalCode != testAgency+"-250115-0009" {
			t.Errorf("t1 = %+v", in)
		}
		return nil
	})
}
