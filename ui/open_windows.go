//go:build windows

package ui

import (
	"fmt"

	"golang.org/x/sys/windows"
)

// shellOpen opens path with its default application through the shell API:
// unlike "rundll32 url.dll", it reports when no application is associated.
func shellOpen(path string) error {
	verb, err := windows.UTF16PtrFromString("open")
	if err != nil {
		return err
	}
	file, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return err
	}
	if err := windows.ShellExecute(0, verb, file, nil, nil, windows.SW_SHOWNORMAL); err != nil {
		return fmt.Errorf("ShellExecute %s: %w", path, err)
	}
	return nil
}
