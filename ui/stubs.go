package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"motcua/app"
)

type receiveScreen struct{ root fyne.CanvasObject }

func newReceiveScreen(u *UI) *receiveScreen      { return &receiveScreen{root: widget.NewLabel("…")} }
func (s *receiveScreen) view() fyne.CanvasObject { return s.root }
func (s *receiveScreen) show()                   {}
func (s *receiveScreen) focusFirst()             {}

type dossiersScreen struct {
	root   fyne.CanvasObject
	rows   []app.DossierSummary
	search *widget.Entry
}

func newDossiersScreen(u *UI) *dossiersScreen {
	return &dossiersScreen{root: widget.NewLabel("…"), search: widget.NewEntry()}
}
func (s *dossiersScreen) view() fyne.CanvasObject { return s.root }
func (s *dossiersScreen) show()                   {}
func (s *dossiersScreen) searchFor(string)        {}
func (s *dossiersScreen) filterState(app.State)   {}

type detailScreen struct{ root fyne.CanvasObject }

func newDetailScreen(u *UI) *detailScreen       { return &detailScreen{root: widget.NewLabel("…")} }
func (s *detailScreen) view() fyne.CanvasObject { return s.root }
func (s *detailScreen) load(string) error       { return nil }

type settingsScreen struct{ root fyne.CanvasObject }

func newSettingsScreen(u *UI) *settingsScreen     { return &settingsScreen{root: widget.NewLabel("…")} }
func (s *settingsScreen) view() fyne.CanvasObject { return s.root }
func (s *settingsScreen) show()                   {}

func openWithOS(string) error { return nil }
