package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"motcua/app"
)

// LeadPoll is how often a standing-by desk tries to take the lead, and how
// often the leading desk checks that its lease (connection) still holds:
// after the leading desk is killed another one leads within about LeadPoll
// (measured: client/leader_test.go).
const LeadPoll = 5 * time.Second

// Leadership is the app.Leadership of the desks sharing db: Lead with the
// given poll (0: LeadPoll); while leading, the desk listens for the other
// desks' Wake on its own connection.
func (db *DB) Leadership(poll time.Duration) app.Leadership { return leadership{db, poll} }

type leadership struct {
	db   *DB
	poll time.Duration
}

func (l leadership) Lead(ctx context.Context, name string, fn func(ctx context.Context, wake <-chan struct{})) {
	l.db.Lead(ctx, name, l.poll, func(ctx context.Context) {
		wake := make(chan struct{}, 1)
		lctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { defer close(done); l.db.listenWake(lctx, name, wake) }()
		fn(ctx, wake)
		cancel()
		<-done
	})
}

// Wake tells the desk leading name that there is work for it (NOTIFY; lost
// when no desk leads, which then finds the work when it starts).
func (l leadership) Wake(name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, _ = l.db.pool.Exec(ctx, `SELECT pg_notify($1, '')`, wakeChannel(name))
}

func wakeChannel(name string) string { return "motcua_lead_" + name }

// listenWake sends on wake (without blocking) for every Wake of name until
// ctx ends, reconnecting when its connection is lost.
func (db *DB) listenWake(ctx context.Context, name string, wake chan<- struct{}) {
	for ctx.Err() == nil {
		conn, err := db.pool.Acquire(ctx)
		if err == nil {
			if _, err = conn.Exec(ctx, `LISTEN `+pgx.Identifier{wakeChannel(name)}.Sanitize()); err == nil {
				select { // whatever was queued before LISTEN: look once
				case wake <- struct{}{}:
				default:
				}
				for err == nil {
					if _, err = conn.Conn().WaitForNotification(ctx); err == nil {
						select {
						case wake <- struct{}{}:
						default:
						}
					}
				}
			}
			conn.Conn().PgConn().Close(context.Background()) // a LISTENing session is not returned to the pool
			conn.Release()
		}
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
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
