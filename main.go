// Command motcua is the desktop application of a commune one-stop office
// (Bộ phận Một cửa): receive dossiers at the counter, follow their
// processing and return the results.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	fyneapp "fyne.io/fyne/v2/app"
	"github.com/sirupsen/logrus"

	"motcua/app"
	"motcua/client"
	"motcua/logs"
	"motcua/ui"
)

// config is what the command line asks for.
type config struct {
	dataDir string
	demo    bool
	lang    string
	screen  string // hidden, for screenshots: home, receive, dossiers, detail, settings
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("motcua", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.dataDir, "data", defaultDataDir(), "thư mục dữ liệu (cơ sở dữ liệu, nhật ký)")
	fs.BoolVar(&c.demo, "demo", false, "tạo dữ liệu mẫu nếu chưa có và đăng nhập là cán bộ một cửa")
	fs.StringVar(&c.lang, "lang", "", "ngôn ngữ giao diện: vi hoặc en (mặc định theo cài đặt)")
	fs.StringVar(&c.screen, "screen", os.Getenv("MOTCUA_START_SCREEN"), "")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if c.lang != "" && c.lang != "vi" && c.lang != "en" {
		return c, fmt.Errorf("--lang phải là vi hoặc en, không phải %q", c.lang)
	}
	return c, nil
}

// defaultDataDir is %AppData%\MotCua on Windows, ~/.config/MotCua on Linux.
func defaultDataDir() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		dir = "."
	}
	return filepath.Join(dir, "MotCua")
}

func main() {
	cfg, err := parseFlags(os.Args[1:], os.Stderr)
	if err != nil {
		os.Exit(2)
	}
	closeLog, err := logs.Open(filepath.Join(cfg.dataDir, "logs"), logrus.InfoLevel)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer closeLog()
	logrus.WithField("data", cfg.dataDir).Info("starting")

	fa := fyneapp.NewWithID("vn.gov.motcua")
	data, err := ui.OpenData(filepath.Join(cfg.dataDir, "motcua.db"), app.SystemClock{})
	if err != nil {
		logrus.WithError(err).Error("open database")
		msg := "Không mở được cơ sở dữ liệu: " + err.Error()
		if app.KindOf(err) == app.KindLocked {
			msg = "Cơ sở dữ liệu đang được sử dụng bởi một cửa sổ Một Cửa khác"
		}
		ui.ShowFatal(fa, msg)
		os.Exit(1)
	}
	defer data.Close()

	opts := ui.Options{DataDir: cfg.dataDir, Demo: cfg.demo, Language: cfg.lang, StartScreen: cfg.screen, Background: true}
	// The interface starts the hub client, and builds a new one over the
	// service of a restored database.
	var hub *client.Client
	var updater *client.Updater
	connect := func(svc *app.Service) ui.Hub {
		if hub = connectHub(svc, cfg.dataDir); hub == nil {
			return nil
		}
		if updater != nil {
			updater.SetClient(hub)
		}
		return hub
	}
	opts.Hub = connect(data.Service())
	if hub != nil {
		ctx, stop := context.WithCancel(context.Background())
		defer stop()
		updater = startUpdater(ctx, hub, cfg.dataDir)
		opts.Updates = updater
	}
	opts.Reconnect = connect
	w := ui.New(fa, data, opts)
	w.Start()
	w.ShowAndRun()
	if hub != nil {
		hub.Stop()
	}
	logrus.Info("stopped")
}

// connectHub builds the liên thông client when the office settings name a
// hub; without one the office works alone (nil).
func connectHub(svc *app.Service, dataDir string) *client.Client {
	blobs, err := client.NewBlobStore(dataDir)
	if err != nil {
		logrus.WithError(err).Error("blob store")
		return nil
	}
	c, err := client.New(svc, blobs, client.Config{})
	if err != nil {
		if app.KindOf(err) != app.KindInvalid {
			logrus.WithError(err).Error("liên thông")
		}
		return nil
	}
	return c
}
