package main

import (
	"context"
	_ "embed"
	"path/filepath"
	"regexp"

	"github.com/sirupsen/logrus"

	"motcua/client"
)

// FyneApp.toml is the one place the version is written: the .exe resources,
// the MSI (scripts/version.sh) and the updater's "is it newer" all read it.
//
//go:embed FyneApp.toml
var fyneAppTOML string

var versionLine = regexp.MustCompile(`(?m)^\s*Version\s*=\s*"([0-9]+\.[0-9]+\.[0-9]+)"`)

// appVersion is this program's version, MAJOR.MINOR.PATCH.
func appVersion() string {
	if m := versionLine.FindStringSubmatch(fyneAppTOML); m != nil {
		return m[1]
	}
	return "0.0.0"
}

// startUpdater checks the hub for signed releases in the background
// (DATA/updates holds the verified download) until ctx ends.
func startUpdater(ctx context.Context, hub *client.Client, dataDir string) *client.Updater {
	up := client.NewUpdater(hub, client.UpdaterConfig{
		Current: appVersion(),
		Dir:     filepath.Join(dataDir, "updates"),
		Logger:  logrus.StandardLogger(),
	})
	go up.Run(ctx)
	return up
}
