//go:build !windows

package main

import (
	"errors"
	"io"
)

func serviceCommand(_ []string, _, _ io.Writer) error {
	return errors.New("motcua-hub service is for Windows; on Linux run it under systemd (packaging/linux/motcua-hub.service)")
}
