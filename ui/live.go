package ui

import (
	"sync"
	"time"

	"motcua/app"
)

// Screens update themselves: the one subscription to the service's change
// feed (app.Service.Subscribe) is here. What this desk's use cases, the
// liên thông client's background work and, on a shared server, the other
// desks commit arrives as app.Change values on whatever goroutine committed;
// they are gathered for liveDelay, then the screen on show refreshes once
// on Fyne's goroutine (shell.changed).

// liveDelay gathers the changes of a burst (a use case touches a dossier,
// its outbox, the other desk's notification echoes it) into one refresh.
const liveDelay = 200 * time.Millisecond

// changeBatch is what changed since the last refresh.
type changeBatch struct {
	dossiers    map[string]bool
	incoming    bool // transfers from other agencies
	submissions bool // online submissions
	outbox      bool // calls waiting for the hub
	office      bool // users, settings, catalogue, calendar
	resync      bool // changes may have been missed: reload everything
	after       []func()
}

func (b *changeBatch) add(c app.Change) {
	switch c.Kind {
	case app.ChangeDossier:
		if b.dossiers == nil {
			b.dossiers = map[string]bool{}
		}
		b.dossiers[c.Key] = true
	case app.ChangeIncoming:
		b.incoming = true
	case app.ChangeSubmission:
		b.submissions = true
	case app.ChangeOutbox:
		b.outbox = true
	case app.ChangeResync:
		b.resync = true
	default:
		b.office = true
	}
}

// dossier reports whether the dossier code may have changed.
func (b *changeBatch) dossier(code string) bool { return b.resync || b.dossiers[code] }

// anyDossier reports whether any dossier may have changed (counts, lists).
func (b *changeBatch) anyDossier() bool { return b.resync || len(b.dossiers) > 0 }

// liveFeed is the UI's subscription and the batch being gathered.
type liveFeed struct {
	mu     sync.Mutex
	batch  *changeBatch
	timer  *time.Timer
	cancel func()
	// deliver hands a gathered batch to Fyne's goroutine; tests replace it
	// (Fyne's test driver runs fyne.Do on the calling goroutine, which
	// would be the timer's).
	deliver func(*changeBatch)
}

// follow subscribes to the current service's change feed (again after a
// restore replaced the service).
func (u *UI) follow() {
	u.live.mu.Lock()
	old := u.live.cancel
	u.live.cancel = u.svc.Subscribe(u.noteChange)
	u.live.mu.Unlock()
	if old != nil {
		old()
	}
}

// unfollow ends the subscription (the window closed).
func (u *UI) unfollow() {
	u.live.mu.Lock()
	c := u.live.cancel
	u.live.cancel = nil
	if u.live.timer != nil {
		u.live.timer.Stop()
		u.live.timer, u.live.batch = nil, nil
	}
	u.live.mu.Unlock()
	if c != nil {
		c()
	}
}

// noteChange gathers one change; it runs on the committing goroutine and
// returns at once.
func (u *UI) noteChange(c app.Change) {
	if c.Kind == app.ChangeOffice && c.Key == "inbox_cursor" {
		return // the poller's bookkeeping: nothing on screen
	}
	u.live.mu.Lock()
	defer u.live.mu.Unlock()
	if u.live.batch == nil {
		u.live.batch = &changeBatch{}
	}
	u.live.batch.add(c)
	u.armLive()
}

// liveLater runs fn on Fyne's goroutine with the next refresh, after
// liveDelay at the latest (the detail screen waiting for a dialog to close).
func (u *UI) liveLater(fn func()) {
	u.live.mu.Lock()
	defer u.live.mu.Unlock()
	if u.live.batch == nil {
		u.live.batch = &changeBatch{}
	}
	u.live.batch.after = append(u.live.batch.after, fn)
	u.armLive()
}

// armLive starts the gathering window; u.live.mu is held.
func (u *UI) armLive() {
	if u.live.timer == nil {
		u.live.timer = time.AfterFunc(liveDelay, u.flushLive)
	}
}

func (u *UI) flushLive() {
	u.live.mu.Lock()
	b, deliver := u.live.batch, u.live.deliver
	u.live.batch, u.live.timer = nil, nil
	u.live.mu.Unlock()
	if b == nil {
		return
	}
	if deliver != nil {
		deliver(b)
		return
	}
	u.do(func() { u.applyChanges(b) })
}

// applyChanges refreshes what the batch touched, on Fyne's goroutine.
func (u *UI) applyChanges(b *changeBatch) {
	if u.shell != nil && u.user != nil {
		u.shell.changed(b)
	}
	for _, fn := range b.after {
		fn()
	}
}
