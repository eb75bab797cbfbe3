package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// The markup snapshots guard the layout of the screens an officer sees most
// (stable across machines, unlike PNGs). After an intended change, copy
// testdata/failed/<name>.xml over testdata/<name>.xml and review the diff.

func TestSnapshotSignIn(t *testing.T) {
	e := newEnv(t)
	e.setUp()
	e.ui.Start()
	e.ui.win.Resize(fyne.NewSize(1280, 720))
	test.AssertRendersToMarkup(t, "signin.xml", e.ui.win.Canvas())
}

func TestSnapshotReceive(t *testing.T) {
	e := newEnv(t)
	e.receiver(e.setUp())
	r := e.receiveScreen()
	test.Type(r.filter, "khai sinh")
	r.filter.OnSubmitted(r.filter.Text)
	test.Type(r.name.entry, "Phạm Thị Lan")
	test.Type(r.idNumber.entry, "03809000123")
	r.idNumber.validate()
	test.AssertRendersToMarkup(t, "receive.xml", e.ui.win.Canvas())
}

func TestSnapshotHome(t *testing.T) {
	e := newEnv(t)
	rcv, err := e.svc.SeedDemo(testNow)
	if err != nil {
		t.Fatal(err)
	}
	e.signIn(rcv)
	test.AssertRendersToMarkup(t, "home.xml", e.ui.win.Canvas())
}
