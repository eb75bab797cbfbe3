package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"motcua/app"
	"motcua/storage"
)

// MoveReport counts what MoveUp copied.
type MoveReport struct {
	Dossiers, History, Users, Procedures, Calendar, Audit, Outbox, Incoming, Guidance, Sequences, Events, Scans int
}

func (r MoveReport) String() string {
	return fmt.Sprintf("%d hồ sơ (%d mục lịch sử), %d người dùng, %d thủ tục, %d ngày lịch, %d mục nhật ký quản trị, "+
		"%d mục chờ gửi, %d hồ sơ liên thông đến, %d phiếu hướng dẫn, %d bộ đếm, %d sự kiện đã nhận, %d bản chụp",
		r.Dossiers, r.History, r.Users, r.Procedures, r.Calendar, r.Audit, r.Outbox, r.Incoming, r.Guidance, r.Sequences, r.Events, r.Scans)
}

// MoveUp copies a whole office from its bbolt file into this database, in
// one transaction ("Chuyển dữ liệu lên máy chủ"): every dossier with its
// history chain, user, setting, catalogue entry, calendar entry, audit entry,
// outbox and inbox item, guidance slip, scan and sequence, so that the next code
// continues the day's numbering. The database must hold no office yet
// (KindConflict otherwise); on any error nothing is written. The source is
// only read. Statistics counters are rebuilt from the dossiers.
func (db *DB) MoveUp(src *storage.DB) (MoveReport, error) { return db.MoveUpWith(src, nil) }

// MoveUpWith is MoveUp telling progress how many dossiers of all it has
// copied (Cài đặt → "Chuyển dữ liệu lên máy chủ" shows a progress bar).
func (db *DB) MoveUpWith(src *storage.DB, progress app.Progress) (MoveReport, error) {
	const op = "postgres.MoveUp"
	var rep MoveReport
	ctx := context.Background()
	var total int64
	if err := src.View(func(s app.Tx) error {
		counts, err := s.CountByState()
		for _, n := range counts {
			total += int64(n)
		}
		return err
	}); err != nil {
		return rep, err
	}
	if progress != nil {
		progress(0, total)
	}
	seqs, err := src.Sequences()
	if err != nil {
		return rep, err
	}
	guid, err := src.Guidances()
	if err != nil {
		return rep, err
	}
	events, err := src.SeenEvents()
	if err != nil {
		return rep, err
	}
	scans, err := src.ScanDigests()
	if err != nil {
		return rep, err
	}
	err = pgx.BeginFunc(ctx, db.pool, func(ptx pgx.Tx) error {
		dst := &tx{ctx: ctx, tx: ptx, write: true}
		var n int
		if err := ptx.QueryRow(ctx, `SELECT (SELECT count(*) FROM office) + (SELECT count(*) FROM dossiers) + (SELECT count(*) FROM users)`).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return app.E(op, app.KindConflict, "Cơ sở dữ liệu trên máy chủ đã có dữ liệu của một cơ quan: chỉ chuyển lên được một cơ sở dữ liệu trống")
		}
		err := src.View(func(s app.Tx) error {
			if ag, err := s.Agency(); err == nil {
				if err := dst.PutAgency(ag); err != nil {
					return err
				}
			} else if !app.Is(err, app.KindNotFound) {
				return err
			}
			st, err := s.Settings()
			if err != nil {
				return err
			}
			if err := dst.PutSettings(st); err != nil {
				return err
			}
			users, err := s.Users()
			if err != nil {
				return err
			}
			for i := range users {
				if err := dst.PutUser(&users[i]); err != nil {
					return err
				}
			}
			procs, err := s.Procedures()
			if err != nil {
				return err
			}
			for i := range procs {
				if err := dst.PutProcedure(&procs[i]); err != nil {
					return err
				}
			}
			cal, err := s.CalendarEntries()
			if err != nil {
				return err
			}
			for _, e := range cal {
				if err := dst.PutCalendarEntry(e); err != nil {
					return err
				}
			}
			audit, err := s.Audit(0, 0)
			if err != nil {
				return err
			}
			for _, e := range audit {
				if err := dst.AppendAudit(e); err != nil {
					return err
				}
			}
			out, err := s.OutboxItems(0)
			if err != nil {
				return err
			}
			for i := range out {
				if err := dst.Enqueue(&out[i]); err != nil {
					return err
				}
			}
			cur, err := s.InboxCursor()
			if err != nil {
				return err
			}
			if err := dst.SetInboxCursor(cur); err != nil {
				return err
			}
			in, err := s.ListIncoming(false)
			if err != nil {
				return err
			}
			for i := range in {
				if err := dst.PutIncoming(&in[i]); err != nil {
					return err
				}
			}
			rep.Users, rep.Procedures, rep.Calendar, rep.Audit, rep.Outbox, rep.Incoming = len(users), len(procs), len(cal), len(audit), len(out), len(in)
			return nil
		})
		if err != nil {
			return err
		}
		for i := range guid {
			if err := dst.PutGuidance(&guid[i]); err != nil {
				return err
			}
		}
		for _, e := range events {
			if err := dst.MarkEvent(e); err != nil {
				return err
			}
		}
		for name, v := range seqs {
			if err := dst.exec(op, `INSERT INTO seqs (name, value) VALUES ($1, $2)`, name, v); err != nil {
				return err
			}
		}
		rep.Guidance, rep.Events, rep.Sequences = len(guid), len(events), len(seqs)
		// Scans one at a time: a few megabytes each, never all in memory.
		for _, sha := range scans {
			var data []byte
			if err := src.View(func(s app.Tx) (err error) { data, err = s.Scan(sha); return }); err != nil {
				return err
			}
			if err := dst.PutScan(sha, data); err != nil {
				return err
			}
		}
		rep.Scans = len(scans)
		return src.ForEachDossier(2000, func(ds []app.Dossier) error {
			rep.Dossiers += len(ds)
			for i := range ds {
				rep.History += len(ds[i].History)
			}
			if err := bulkLoad(ctx, ptx, ds); err != nil {
				return err
			}
			if progress != nil {
				progress(int64(rep.Dossiers), max(total, int64(rep.Dossiers)))
			}
			return nil
		})
	})
	if err != nil {
		return MoveReport{}, wrap(op, err)
	}
	_, err = db.pool.Exec(ctx, `VACUUM ANALYZE`)
	return rep, wrap(op, err)
}
