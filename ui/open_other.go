//go:build !windows

package ui

import "errors"

func shellOpen(string) error { return errors.New("shellOpen: Windows only") }
