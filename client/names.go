package client

import (
	"context"
	"sync"
	"time"

	"motcua/app"
)

// Agency names for events (issue 13.5): the incoming list and the history
// name the other agency, not its code. The directory is fetched at most
// every dirTTL and only when an event names an agency not yet known; without
// the hub's answer the events apply with the codes alone.

const dirTTL = 10 * time.Minute

type agencyNames struct {
	mu      sync.Mutex
	names   map[string]string
	fetched time.Time
}

// agencyName returns the directory name of code, fetching the directory
// when code is unknown and the last fetch is older than dirTTL.
func (c *Client) agencyName(ctx context.Context, code string) string {
	if code == "" {
		return ""
	}
	c.dir.mu.Lock()
	defer c.dir.mu.Unlock()
	if n, ok := c.dir.names[code]; ok {
		return n
	}
	if time.Since(c.dir.fetched) < dirTTL {
		return ""
	}
	c.dir.fetched = time.Now()
	dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	list, err := c.Directory(dctx)
	if err != nil {
		c.log.WithError(err).Warn("liên thông: agency directory")
		return ""
	}
	if c.dir.names == nil {
		c.dir.names = map[string]string{}
	}
	for _, a := range list {
		c.dir.names[a.Code] = a.Name
	}
	return c.dir.names[code]
}

// nameAgencies fills the agencies' names of ev.
func (c *Client) nameAgencies(ctx context.Context, ev *app.TransferEvent) {
	from, to := ev.FromAgency, ev.ToAgency
	if from == "" && ev.Snapshot != nil { // a resync's snapshot
		from, to = ev.Snapshot.FromAgency, ev.Snapshot.ToAgency
	}
	if from == c.own {
		ev.ToName = c.agencyName(ctx, to)
	} else {
		ev.FromName = c.agencyName(ctx, from)
	}
}
