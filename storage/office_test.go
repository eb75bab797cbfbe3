package storage

import (
	"slices"
	"testing"
	"time"

	"motcua/app"
)

func TestOfficeRecords(t *testing.T) {
	db := openTemp(t)
	db.View(func(tx app.Tx) error {
		_, err := tx.Agency()
		kindIs(t, err, app.KindNotFound)
		s, err := tx.Settings()
		if err != nil || !sameJSON(s, app.DefaultSettings()) {
			t.Errorf("Settings before saving = %+v, %v", s, err)
		}
		_, err = tx.User("admin")
		kindIs(t, err, app.KindNotFound)
		_, err = tx.Procedure("1.001193")
		kindIs(t, err, app.KindNotFound)
		_, err = tx.Guidance("x")
		kindIs(t, err, app.KindNotFound)
		return nil
	})
	ag := &app.Agency{Code: testAgency, Name: "UBND xã Tân Lập", GoverningBody: "UBND TỈNH THANH HÓA", Hours: app.DefaultOfficeHours()}
	st := app.DefaultSettings()
	st.BackupKeep, st.HubURL = 30, "https://hub.example.vn"
	update(t, db, func(tx app.Tx) error {
		if err := tx.PutAgency(ag); err != nil {
			return err
		}
		if err := tx.PutSettings(st); err != nil {
			return err
		}
		for _, u := range []string{"tuphap", "admin", "motcua"} {
			if err := tx.PutUser(&app.User{Username: u, FullName: "Lê Thị Hồng", Roles: []app.Role{app.RoleReceiver}}); err != nil {
				return err
			}
		}
		for _, c := range []string{"2.000815", "1.001193", "1.004194"} {
			if err := tx.PutProcedure(&app.Procedure{Code: c, Name: "Thủ tục " + c, Time: app.WorkingDays(3), Active: true}); err != nil {
				return err
			}
		}
		for _, d := range []string{"2026-02-17", "2025-09-02", "2026-01-01"} {
			if err := tx.PutCalendarEntry(app.CalendarEntry{Date: d, Kind: app.DayOff, Note: "Nghỉ lễ"}); err != nil {
				return err
			}
		}
		return tx.PutGuidance(&app.IntakeGuidance{ID: testAgency + "-250115-G0001", Items: []string{"Giấy chứng sinh"}})
	})
	kindIs(t, db.Update(func(tx app.Tx) error { return tx.PutUser(&app.User{}) }), app.KindInvalid)
	kindIs(t, db.Update(func(tx app.Tx) error { return tx.DeleteProcedure("9.999999") }), app.KindNotFound)
	kindIs(t, db.Update(func(tx app.Tx) error { return tx.DeleteCalendarEntry("2020-01-01") }), app.KindNotFound)
	update(t, db, func(tx app.Tx) error {
		if err := tx.DeleteProcedure("1.004194"); err != nil {
			return err
		}
		return tx.DeleteCalendarEntry("2026-01-01")
	})
	db.View(func(tx app.Tx) error {
		a, err := tx.Agency()
		if err != nil || !sameJSON(a, ag) {
			t.Errorf("Agency = %+v, %v", a, err)
		}
		s, _ := tx.Settings()
		if !sameJSON(s, st) {
			t.Errorf("Settings = %+v", s)
		}
		us, _ := tx.Users()
		var names []string
		for _, u := range us {
			names = append(names, u.Username)
		}
		if !slices.Equal(names, []string{"admin", "motcua", "tuphap"}) {
			t.Errorf("Users = %v", names)
		}
		ps, _ := tx.Procedures()
		if len(ps) != 2 || ps[0].Code != "1.001193" || ps[1].Code != "2.000815" {
			t.Errorf("Procedures = %+v", ps)
		}
		cs, _ := tx.CalendarEntries()
		if len(cs) != 2 || cs[0].Date != "2025-09-02" || cs[1].Date != "2026-02-17" {
			t.Errorf("CalendarEntries = %+v", cs)
		}
		g, err := tx.Guidance(testAgency + "-250115-G0001")
		if err != nil || g.Items[0] != "Giấy chứng sinh" {
			t.Errorf("Guidance = %+v, %v", g, err)
		}
		return nil
	})
}

func auditEntry(seq int, prev string) app.AuditEntry {
	e := app.AuditEntry{Seq: seq, At: time.Date(2025, 1, 15, 8, seq, 0, 0, app.Vietnam), Action: "user.create", Target: "u", PrevHash: prev}
	e.Hash = app.HashAudit(e)
	return e
}

func TestAuditChain(t *testing.T) {
	db := openTemp(t)
	db.View(func(tx app.Tx) error {
		if es, err := tx.Audit(-1, 1); err != nil || len(es) != 0 {
			t.Errorf("tail of an empty log: %v, %v", es, err)
		}
		return nil
	})
	prev := ""
	for i := 1; i <= 5; i++ {
		e := auditEntry(i, prev)
		update(t, db, func(tx app.Tx) error { return tx.AppendAudit(e) })
		prev = e.Hash
	}
	kindIs(t, db.Update(func(tx app.Tx) error { return tx.AppendAudit(auditEntry(7, prev)) }), app.KindConflict)
	kindIs(t, db.Update(func(tx app.Tx) error { return tx.AppendAudit(auditEntry(6, "bad")) }), app.KindConflict)
	kindIs(t, db.Update(func(tx app.Tx) error { return tx.AppendAudit(auditEntry(3, prev)) }), app.KindConflict)
	seqs := func(es []app.AuditEntry) []int {
		var out []int
		for _, e := range es {
			out = append(out, e.Seq)
		}
		return out
	}
	db.View(func(tx app.Tx) error {
		for _, c := range []struct {
			after, limit int
			want         []int
		}{
			{0, 0, []int{1, 2, 3, 4, 5}},
			{0, 2, []int{1, 2}},
			{3, 10, []int{4, 5}},
			{5, 10, nil},
			{-1, 1, []int{5}},
			{-1, 3, []int{3, 4, 5}},
			{-1, 9, []int{1, 2, 3, 4, 5}},
			{-1, 0, []int{1, 2, 3, 4, 5}},
		} {
			es, err := tx.Audit(c.after, c.limit)
			if err != nil || !slices.Equal(seqs(es), c.want) {
				t.Errorf("Audit(%d, %d) = %v, %v; want %v", c.after, c.limit, seqs(es), err, c.want)
			}
		}
		all, _ := tx.Audit(0, 0)
		if br := app.VerifyAudit(all); br != nil {
			t.Error(br)
		}
		return nil
	})
}
