package org.kru.sample;

import android.app.Activity;
import android.os.Bundle;
import android.view.View;
import android.widget.Button;
import android.widget.EditText;
import android.widget.LinearLayout;
import android.widget.ScrollView;
import android.widget.TextView;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import org.kru.Block;
import org.kru.KruException;
import org.kru.Label;
import org.kru.LoadOptions;
import org.kru.Pack;
import org.kru.ResultRecord;
import org.kru.ResultsLog;
import org.kru.Session;
import org.kru.StartOptions;
import org.kru.Step;

/**
 * A minimal kiosk: runs the kiosk journey of the pack in assets/safe-migration.krupack in
 * Khmer (English as fallback), one step per screen; saves a snapshot whenever the activity
 * stops and resumes from it; appends each finished record to files/results.krulog.
 *
 * <p>A real app would trust its publisher's key ({@code new LoadOptions().trustKeyHex(…)}), not
 * allow unsigned packs, and use a layout file; this one builds its views in code to stay short.
 */
public final class KioskActivity extends Activity {
  private Pack pack;
  private Session session;
  private LinearLayout screen;

  private File snapshotFile() {
    return new File(getFilesDir(), "session.snapshot");
  }

  private File logFile() {
    return new File(getFilesDir(), "results.krulog");
  }

  @Override
  protected void onCreate(Bundle saved) {
    super.onCreate(saved);
    screen = new LinearLayout(this);
    screen.setOrientation(LinearLayout.VERTICAL);
    ScrollView scroll = new ScrollView(this);
    scroll.addView(screen);
    setContentView(scroll);
    try {
      pack = Pack.load(readAsset("safe-migration.krupack"), new LoadOptions().allowUnsigned(true));
      File snap = snapshotFile();
      if (snap.exists()) {
        try {
          session = Session.restore(pack, readAll(new FileInputStream(snap)));
        } catch (KruException e) {
          session = null; // a damaged or foreign snapshot: start again
        }
      }
      if (session == null) {
        session = newSession();
      }
      show();
    } catch (IOException | KruException e) {
      message("Cannot start: " + e);
    }
  }

  private Session newSession() {
    return Session.start(
        pack,
        new StartOptions()
            .journey("kiosk")
            .languages("km-KH", "en")
            .seed(System.nanoTime())
            .learner("K-" + Long.toHexString(System.currentTimeMillis()))
            .nowMs(System.currentTimeMillis()));
  }

  @Override
  protected void onStop() {
    super.onStop();
    if (session != null && !session.isFinished()) {
      try (FileOutputStream out = new FileOutputStream(snapshotFile())) {
        out.write(session.snapshot());
        out.getFD().sync();
      } catch (IOException e) {
        // the next start begins a new session
      }
    }
  }

  @Override
  protected void onDestroy() {
    super.onDestroy();
    if (session != null) {
      session.close();
    }
    if (pack != null) {
      pack.close();
    }
  }

  private byte[] readAsset(String name) throws IOException {
    return readAll(getAssets().open(name));
  }

  private static byte[] readAll(InputStream stream) throws IOException {
    try (InputStream in = stream) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[16384];
      for (int n; (n = in.read(buf)) > 0; ) {
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    }
  }

  private long now() {
    return System.currentTimeMillis();
  }

  /** Runs a session call; a KruException (e.g. a wrong answer) is shown, the step stays. */
  private void act(Runnable call) {
    try {
      call.run();
      show();
    } catch (KruException e) {
      message(e.codeName() + ": " + e.getMessage());
    }
  }

  private void show() {
    screen.removeAllViews();
    Step step = session.step();
    if (step instanceof Step.Question) {
      Step.Question q = (Step.Question) step;
      text(q.prompt);
      switch (q.expects) {
        case CHOICE:
          for (int i = 0; i < q.options.size(); i++) {
            final int index = i;
            button(q.options.get(i).text, v -> act(() -> session.answerChoice(index, now())));
          }
          break;
        case TRUE_FALSE:
          button("✓", v -> act(() -> session.answerTrueFalse(true, now())));
          button("✗", v -> act(() -> session.answerTrueFalse(false, now())));
          break;
        case TEXT:
          {
            EditText input = new EditText(this);
            screen.addView(input);
            button("OK", v -> act(() -> session.answerText(input.getText().toString(), now())));
            break;
          }
        default:
          // The kiosk journey asks only the three types above; other journeys need the
          // matching answer calls (answerChoices, answerOrder, answerMatches, answerScale).
          message("This sample does not show " + q.expects + " questions.");
      }
    } else if (step instanceof Step.Intake) {
      Step.Intake in = (Step.Intake) step;
      text(in.label);
      for (int i = 0; i < in.options.size(); i++) {
        final int index = i;
        button(in.options.get(i).label.text, v -> act(() -> session.answerChoice(index, now())));
      }
      if (!in.required) {
        button("→", v -> act(() -> session.advance(now())));
      }
    } else if (step instanceof Step.Story && !((Step.Story) step).choices.isEmpty()) {
      Step.Story st = (Step.Story) step;
      text(st.text);
      for (int i = 0; i < st.choices.size(); i++) {
        final int index = i;
        button(st.choices.get(i).text, v -> act(() -> session.answerChoice(index, now())));
      }
    } else if (step instanceof Step.Done) {
      message(((Step.Done) step).scores.toString());
      button("OK", v -> finishAndLog());
    } else {
      describe(step);
      button("→", v -> act(() -> session.advance(now())));
    }
  }

  private void describe(Step step) {
    if (step instanceof Step.Page) {
      Step.Page p = (Step.Page) step;
      text(p.title);
      for (Block b : p.blocks) {
        if (b.text != null) {
          text(b.text);
        }
        for (Label entry : b.entries) {
          message("• " + entry.text);
        }
        if (b.resource != null) {
          message(b.resource.name.text + ": " + b.resource.phone);
        }
      }
    } else if (step instanceof Step.Feedback) {
      Step.Feedback f = (Step.Feedback) step;
      message(f.correct ? "✓" : "✗");
      text(f.message);
      text(f.explanation);
    } else if (step instanceof Step.Story) {
      Step.Story st = (Step.Story) step;
      text(st.consequence != null ? st.consequence : st.text);
    } else if (step instanceof Step.PhaseSummary) {
      Step.PhaseSummary s = (Step.PhaseSummary) step;
      text(s.title);
      message(s.score + " / " + s.max);
    } else if (step instanceof Step.Card) {
      Step.Card c = (Step.Card) step;
      text(c.title);
      for (Step.KeyMessage m : c.messages) {
        text(m.title);
      }
      text(c.footer);
    }
  }

  /** Finishes the session and appends its record to the results log, then starts anew. */
  private void finishAndLog() {
    try {
      ResultRecord record = session.finish(now());
      File log = logFile();
      try (RandomAccessFile f = new RandomAccessFile(log, "rw")) {
        byte[] existing = new byte[(int) f.length()];
        f.readFully(existing);
        // Drop a torn last write (a power cut) before appending.
        long offset = ResultsLog.appendOffset(existing);
        f.setLength(offset);
        f.seek(offset);
        f.write(record.logFrame());
        f.getFD().sync();
      }
      snapshotFile().delete();
      session.close();
      session = newSession();
      show();
    } catch (IOException | KruException e) {
      message("Could not save: " + e);
    }
  }

  private void text(Label label) {
    message(label.text);
  }

  private void message(String s) {
    TextView t = new TextView(this);
    t.setText(s);
    t.setTextSize(20);
    screen.addView(t);
  }

  private void button(String label, View.OnClickListener onClick) {
    Button b = new Button(this);
    b.setText(label);
    b.setAllCaps(false);
    b.setOnClickListener(onClick);
    screen.addView(b);
  }
}
