package main

import (
	"context"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"motcua/app"
	"motcua/client"
	"motcua/forms"
)

// desk is this computer's office as the screens see it (ui.Office): the
// database of the data folder, the service over it and, when the office
// settings name a hub, the liên thông client. A restore replaces all three.
type desk struct {
	handle

	mu      sync.Mutex
	hub     *client.Client  // nil: no hub configured
	updater *client.Updater // follows the client a restore rebuilds
}

// newDesk moves the attachments of an earlier version into the open store
// and connects the hub.
func newDesk(h handle, dataDir string) *desk {
	if n, err := client.ImportBlobFolder(h.Store(), dataDir); err != nil {
		logrus.WithError(err).Error("moving attachments into the database")
	} else if n > 0 {
		logrus.WithField("files", n).Info("attachments moved into the database")
	}
	if err := h.Service().MoveSecretsOut(); err != nil {
		logrus.WithError(err).Error("moving the hub key out of the database")
	}
	h.Service().RemoveOpenedBackups()
	d := &desk{handle: h}
	d.connect()
	return d
}

// connect builds the liên thông client when the settings name a hub.
func (d *desk) connect() {
	svc := d.Service()
	svc.SetForms(forms.Printer{}) // the online decisions send their form back
	ok, err := svc.IsSetUp()
	if err != nil || !ok {
		return // nothing to connect before the office exists
	}
	// The hub key is read through the service: it is among this computer's
	// secrets, not in the database the client reads.
	var key string
	if st, err := svc.Settings(); err == nil {
		key = st.HubKey
	}
	// Through the service's store, the client's own transactions (events of
	// the hub, items sent) are announced to the open screens (app.Subscribe).
	c, err := client.New(svc, svc.Store(), client.Config{Key: key, Leadership: leadership(d.Store())})
	switch {
	case app.KindOf(err) == app.KindInvalid:
		// No hub configured: the office works alone.
	case err != nil:
		logrus.WithError(err).Error("liên thông")
	default:
		svc.SetDigestSource(c) // the full integrity check compares with the hub's copy of the daily digests
		d.mu.Lock()
		d.hub = c
		up := d.updater
		d.mu.Unlock()
		if up != nil {
			up.SetClient(c)
		}
	}
}

// leadership elects the one desk of a shared store (PostgreSQL) that talks
// to the hub; nil (this desk always leads) for a store only it opens.
func leadership(store app.Store) app.Leadership {
	if pg, ok := app.Unwrap(store).(interface { // the service's announcing store, too
		Leadership(poll time.Duration) app.Leadership
	}); ok {
		return pg.Leadership(0)
	}
	return nil
}

// client is the liên thông client, nil without a hub.
func (d *desk) client() *client.Client {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.hub
}

// Sync is the liên thông client, nil without a hub.
func (d *desk) Sync() app.Sync {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.hub == nil {
		return nil
	}
	return d.hub
}

// Restore stops the liên thông client, replaces the database with the
// backup and connects again over the restored office (ui.Office).
func (d *desk) Restore(path string, progress app.Progress) (*app.Service, error) {
	d.stopHub()
	svc, err := d.handle.Restore(path, progress)
	if svc != nil {
		if err := svc.MoveSecretsOut(); err != nil {
			logrus.WithError(err).Error("moving the hub key out of the database")
		}
		d.connect()
		if s := d.Sync(); s != nil {
			s.Start(context.Background())
		}
	}
	return svc, err
}

func (d *desk) stopHub() {
	d.mu.Lock()
	hub := d.hub
	d.hub = nil
	d.mu.Unlock()
	if hub != nil {
		hub.Stop()
	}
}

// Close stops the client and closes the database.
func (d *desk) Close() error {
	d.stopHub()
	return d.handle.Close()
}
