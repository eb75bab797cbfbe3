package app

import (
	"maps"
	"slices"
	"sync"
)

// The change feed: the screens learn of committed changes (their own, the
// liên thông client's, other desks') and refresh what they show.

// ChangeKind names what a committed change touched. The values are those a
// shared PostgreSQL store announces on its "motcua_changes" channel.
type ChangeKind string

const (
	ChangeDossier    ChangeKind = "dossier"     // Key: the dossier code
	ChangeUser       ChangeKind = "user"        // Key: the username
	ChangeOffice     ChangeKind = "office"      // Key: "agency", "settings", "inbox_cursor"
	ChangeProcedures ChangeKind = "procedures"  // the catalogue
	ChangeCalendar   ChangeKind = "calendar"    // the office calendar
	ChangeIncoming   ChangeKind = "incoming"    // transfers from other agencies; Key: its id when known
	ChangeSubmission ChangeKind = "submissions" // online submissions; Key: its id when known
	ChangeOutbox     ChangeKind = "outbox"      // calls waiting for the hub (this desk only)
	// ChangeResync: changes may have been missed (a desk's connection to
	// the shared store was lost and is back): reload everything.
	ChangeResync ChangeKind = "resync"
)

// Change is one committed change.
type Change struct {
	Kind ChangeKind
	Key  string
}

// feed holds the subscribers of a service's change feed.
type feed struct {
	mu   sync.Mutex
	next int
	subs map[int]func(Change)
}

// Subscribe has fn called with every change committed through this service
// (after the commit: a rolled-back transaction announces nothing) and every
// change announced to it (Announce: other desks, other processes). fn runs
// on the goroutine that committed and must not block: a screen schedules
// its refresh and returns. cancel ends the subscription.
func (s *Service) Subscribe(fn func(Change)) (cancel func()) {
	s.changes.mu.Lock()
	defer s.changes.mu.Unlock()
	if s.changes.subs == nil {
		s.changes.subs = map[int]func(Change){}
	}
	id := s.changes.next
	s.changes.next++
	s.changes.subs[id] = fn
	return func() {
		s.changes.mu.Lock()
		delete(s.changes.subs, id)
		s.changes.mu.Unlock()
	}
}

// Announce passes changes committed elsewhere (another desk on the shared
// store, as its notifications report them) to the subscribers.
func (s *Service) Announce(cs ...Change) {
	if len(cs) == 0 {
		return
	}
	s.changes.mu.Lock()
	subs := make([]func(Change), 0, len(s.changes.subs))
	for _, id := range slices.Sorted(maps.Keys(s.changes.subs)) {
		subs = append(subs, s.changes.subs[id])
	}
	s.changes.mu.Unlock()
	for _, c := range cs {
		for _, fn := range subs {
			fn(c)
		}
	}
}

// Store is the store as the service sees it: a transaction committed
// through it announces its changes to the subscribers and wakes the outbox
// sender, as the use cases' own do. The liên thông client opens its
// transactions (inbox events, sent items) through it.
// A caller that needs the store's own optional interfaces (a leadership
// lock, a change listener) asks the underlying one: see Unwrap.
func (s *Service) Store() Store { return s.store }

// Unwrap returns the store under the service's announcing wrapper, and any
// other store as it is: for the optional interfaces of the store itself
// (postgres.DB's Lead, Changes) behind Service.Store.
func Unwrap(st Store) Store {
	if n, ok := st.(notifyingStore); ok {
		return n.Store
	}
	return st
}

// changeSet collects the changes of one transaction, in order, once each.
type changeSet struct {
	list []Change
	seen map[Change]bool
}

func (c *changeSet) add(kind ChangeKind, key string) {
	ch := Change{Kind: kind, Key: key}
	if c.seen[ch] {
		return
	}
	if c.seen == nil {
		c.seen = map[Change]bool{}
	}
	c.seen[ch] = true
	c.list = append(c.list, ch)
}

func (c *changeSet) reset() { c.list, c.seen = nil, nil }
