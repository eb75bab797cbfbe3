package ui

import (
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"motcua/app"
)

// withProgress runs work off Fyne's goroutine behind a dialog with a
// progress bar (a moving one until work reports a total), so that a backup,
// a restore or the check of a large file never freezes the window. done
// runs on Fyne's goroutine with work's error once the dialog is gone.
func (u *UI) withProgress(title, detail string, work func(app.Progress) error, done func(error)) {
	bar := widget.NewProgressBar()
	spin := widget.NewProgressBarInfinite()
	bar.Hide()
	lbl := widget.NewLabel(detail)
	lbl.Truncation = fyne.TextTruncateEllipsis
	wait := dialog.NewCustomWithoutButtons(title, container.New(fixedWidth(460), container.NewVBox(lbl, bar, spin)), u.win)
	wait.Show()
	u.lastProgress = bar
	// Reports come from work's goroutine as often as it likes; the bar is
	// redrawn at most ten times a second.
	var last atomic.Int64
	progress := func(d, total int64) {
		now := time.Now().UnixMilli()
		if total <= 0 || (now-last.Load() < 100 && d < total) {
			return
		}
		last.Store(now)
		u.do(func() {
			if spin.Visible() {
				spin.Stop()
				spin.Hide()
				bar.Show()
			}
			bar.SetValue(float64(d) / float64(total))
		})
	}
	runAsync(func() {
		err := work(progress)
		u.do(func() {
			spin.Stop()
			wait.Hide()
			done(err)
		})
	})
}
