package postgres

import (
	"context"
	"time"

	"motcua/app"
)

// LeadPoll is how often a standing-by desk tries to take the lead, and how
// often the leading desk checks that its lease (connection) still holds:
// after the leading desk is killed another one leads within about LeadPoll
// (measured: client/leader_test.go).
const LeadPoll = 5 * time.Second

// Leadership is the app.Leadership of the desks sharing db: Lead with the
// given poll (0: LeadPoll).
func (db *DB) Leadership(poll time.Duration) app.Leadership { return leadership{db, poll} }

type leadership struct {
	db   *DB
	poll time.Duration
}

func (l leadership) Lead(ctx context.Context, name string, fn func(ctx context.Context)) {
	l.db.Lead(ctx, name, l.poll, fn)
}

// Lead runs fn while this desk holds the office-wide role named name (e.g.
// "outbox": the one desk that sends the outbox and polls the inbox), and
// waits for it while another desk holds it. The role is a session advisory
// lock on a connection of its own: when the holding desk quits, crashes or
// is killed, the server ends its session and the lock is free; the other
// desks try again every poll (default 5 s), so one of them takes over
// within poll plus the server's notice of the dead connection. fn's context
// is cancelled when the lock's connection is lost (another desk may lead
// then) or ctx ends; Lead returns when ctx ends.
func (db *DB) Lead(ctx context.Context, name string, poll time.Duration, fn func(ctx context.Context)) {
	if poll <= 0 {
		poll = LeadPoll
	}
	for ctx.Err() == nil {
		db.tryLead(ctx, name, poll, fn)
		select {
		case <-ctx.Done():
		case <-time.After(poll):
		}
	}
}

func (db *DB) tryLead(ctx context.Context, name string, poll time.Duration, fn func(ctx context.Context)) {
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return
	}
	defer conn.Release()
	var got bool
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock(hashtext($1))`, "motcua/"+name).Scan(&got); err != nil || !got {
		return
	}
	// Held: the session keeps it. The connection never goes back to the
	// pool holding the lock: it is closed when leading ends.
	defer conn.Conn().PgConn().Close(context.Background())
	// A leading PC that loses power or its network sends no FIN: the server
	// would keep the session (and the lock) for hours of TCP silence. With
	// these keepalives (TCP connections only; a local socket closes with
	// the process) the server ends the session about 20 s after the last
	// ping, and another desk takes over within poll after that.
	_, _ = conn.Exec(ctx, `SELECT set_config('tcp_keepalives_idle', '5', false),
		set_config('tcp_keepalives_interval', '5', false), set_config('tcp_keepalives_count', '3', false)`)
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(lctx)
	}()
	tick := time.NewTicker(poll)
	defer tick.Stop()
	for {
		select {
		case <-done:
			return
		case <-ctx.Done():
			<-done
			return
		case <-tick.C:
			pctx, pcancel := context.WithTimeout(ctx, poll)
			err := conn.Ping(pctx)
			pcancel()
			if err != nil { // the lock may be gone with the session
				cancel()
				<-done
				return
			}
		}
	}
}
