//! Running external commands.
//!
//! Every command is echoed as `$ program args` before it runs, runs in the workspace root unless
//! told otherwise, and streams its output. A command that cannot be spawned gives an error that
//! names the program; a command that fails gives an error that names the command and its status.

use std::ffi::{OsStr, OsString};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Output, Stdio};
use std::sync::{Arc, Mutex};

use crate::util::{display_path, root, Error, Result};

/// A command to run, built like [`std::process::Command`] but printable.
#[derive(Debug, Clone)]
pub struct Cmd {
    program: OsString,
    args: Vec<OsString>,
    cwd: Option<PathBuf>,
    env: Vec<(OsString, Option<OsString>)>,
}

impl Cmd {
    /// A command for `program` (looked up on `PATH` unless it is a path).
    pub fn new(program: impl AsRef<OsStr>) -> Self {
        Cmd {
            program: program.as_ref().to_owned(),
            args: Vec::new(),
            cwd: None,
            env: Vec::new(),
        }
    }

    /// `cargo …` through the `cargo` on `PATH` (the rustup proxy, so `+nightly` works).
    pub fn cargo() -> Self {
        Cmd::new("cargo")
    }

    /// Adds one argument.
    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    /// Adds several arguments.
    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        self
    }

    /// Runs in `dir` instead of the workspace root.
    pub fn cwd(mut self, dir: impl AsRef<Path>) -> Self {
        self.cwd = Some(dir.as_ref().to_owned());
        self
    }

    /// Sets an environment variable for the command (shown in the echo).
    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Self {
        self.env
            .push((key.as_ref().to_owned(), Some(value.as_ref().to_owned())));
        self
    }

    /// Removes an inherited environment variable for the command.
    pub fn env_remove(mut self, key: impl AsRef<OsStr>) -> Self {
        self.env.push((key.as_ref().to_owned(), None));
        self
    }

    /// The program's name as given.
    pub fn program(&self) -> String {
        self.program.to_string_lossy().into_owned()
    }

    /// The command line as a shell would read it: `(cd dir &&) VAR=value program args`.
    pub fn display(&self) -> String {
        let mut parts = Vec::new();
        for (key, value) in &self.env {
            if let Some(value) = value {
                parts.push(format!(
                    "{}={}",
                    key.to_string_lossy(),
                    quote(&value.to_string_lossy())
                ));
            }
        }
        parts.push(quote(&self.program.to_string_lossy()));
        parts.extend(self.args.iter().map(|a| quote(&a.to_string_lossy())));
        let line = parts.join(" ");
        match &self.cwd {
            Some(dir) if dir != root() => format!("(cd {} && {line})", quote(&display_path(dir))),
            _ => line,
        }
    }

    fn command(&self) -> Command {
        let mut command = Command::new(&self.program);
        command.args(&self.args);
        command.current_dir(self.cwd.as_deref().unwrap_or_else(|| root()));
        for (key, value) in &self.env {
            match value {
                Some(value) => command.env(key, value),
                None => command.env_remove(key),
            };
        }
        command
    }

    fn echo(&self) {
        println!("$ {}", self.display());
        let _ = std::io::stdout().flush();
    }

    fn spawn_error(&self, e: &std::io::Error) -> Error {
        let hint = if e.kind() == std::io::ErrorKind::NotFound {
            " (not found: is it installed and on PATH? `cargo xtask setup` installs the tools)"
        } else {
            ""
        };
        Error(format!("could not run `{}`: {e}{hint}", self.program()))
    }

    fn status_error(&self, status: ExitStatus) -> Error {
        Error(format!(
            "`{}` failed ({})",
            self.display(),
            describe(status)
        ))
    }

    /// Echoes and runs the command with inherited output; fails unless it exits with 0.
    pub fn run(&self) -> Result {
        let status = self.status()?;
        if status.success() {
            Ok(())
        } else {
            Err(self.status_error(status))
        }
    }

    /// Echoes and runs the command with inherited output; only a spawn failure is an error.
    pub fn status(&self) -> Result<ExitStatus> {
        self.echo();
        self.command()
            .stdin(Stdio::null())
            .status()
            .map_err(|e| self.spawn_error(&e))
    }

    /// Echoes and runs the command, capturing its output (for checks whose output is parsed).
    /// Only a spawn failure is an error.
    pub fn probe(&self) -> Result<Output> {
        self.echo();
        self.command()
            .stdin(Stdio::null())
            .output()
            .map_err(|e| self.spawn_error(&e))
    }

    /// Like [`Cmd::probe`], but returns stdout as text and fails unless the command succeeds.
    pub fn read(&self) -> Result<String> {
        let output = self.probe()?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            return Err(Error(format!(
                "{}\n{}",
                self.status_error(output.status),
                stderr.trim_end()
            )));
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    /// Echoes and runs the command, streaming stdout and stderr through as they come (stderr
    /// lines are also collected and returned, e.g. to recognise a lock error).
    pub fn run_tee_stderr(&self) -> Result<(ExitStatus, String)> {
        self.echo();
        let mut child = self
            .command()
            .stdin(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| self.spawn_error(&e))?;
        let mut collected = String::new();
        if let Some(stderr) = child.stderr.take() {
            for line in BufReader::new(stderr).split(b'\n') {
                let Ok(line) = line else { break };
                let line = String::from_utf8_lossy(&line);
                eprintln!("{line}");
                collected.push_str(&line);
                collected.push('\n');
            }
        }
        let status = child.wait().map_err(|e| self.spawn_error(&e))?;
        Ok((status, collected))
    }

    /// Echoes and spawns the command with both output streams piped, printing every line with
    /// `[prefix] ` in front (so that parallel commands stay readable). Returns the status and
    /// the last `keep` lines of output.
    pub fn run_prefixed(&self, prefix: &str, keep: usize) -> Result<(ExitStatus, Vec<String>)> {
        self.echo();
        let mut child = self
            .command()
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| self.spawn_error(&e))?;
        let tail = Arc::new(Mutex::new(std::collections::VecDeque::new()));
        let mut readers = Vec::new();
        let streams: Vec<Box<dyn Read + Send>> = [
            child
                .stdout
                .take()
                .map(|s| Box::new(s) as Box<dyn Read + Send>),
            child
                .stderr
                .take()
                .map(|s| Box::new(s) as Box<dyn Read + Send>),
        ]
        .into_iter()
        .flatten()
        .collect();
        for stream in streams {
            let tail = Arc::clone(&tail);
            let prefix = prefix.to_owned();
            readers.push(std::thread::spawn(move || {
                for line in BufReader::new(stream).split(b'\n') {
                    let Ok(line) = line else { break };
                    let line = String::from_utf8_lossy(&line).trim_end().to_owned();
                    println!("[{prefix}] {line}");
                    if let Ok(mut tail) = tail.lock() {
                        tail.push_back(line);
                        while tail.len() > keep {
                            tail.pop_front();
                        }
                    }
                }
            }));
        }
        for reader in readers {
            let _ = reader.join();
        }
        let status = child.wait().map_err(|e| self.spawn_error(&e))?;
        let lines = tail
            .lock()
            .map(|t| t.iter().cloned().collect())
            .unwrap_or_default();
        Ok((status, lines))
    }
}

/// `exit status 1`, `killed by signal 9`, …
pub fn describe(status: ExitStatus) -> String {
    if let Some(code) = status.code() {
        return format!("exit status {code}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return format!("killed by signal {signal}");
        }
    }
    status.to_string()
}

/// Quotes an argument for display when a shell would need it.
fn quote(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c));
    if plain {
        arg.to_owned()
    } else {
        format!("'{}'", arg.replace('\'', "'\\''"))
    }
}

/// Whether `program` can be found on `PATH` (or exists, when given as a path).
pub fn on_path(program: &str) -> bool {
    if program.contains('/') {
        return Path::new(program).is_file();
    }
    std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_quotes_when_needed() {
        let cmd = Cmd::new("cargo")
            .args(["build", "-p", "kru-core", "--features", "a b"])
            .env("RUSTFLAGS", "-D warnings");
        assert_eq!(
            cmd.display(),
            "RUSTFLAGS='-D warnings' cargo build -p kru-core --features 'a b'"
        );
    }

    #[test]
    fn spawn_failure_names_the_program() {
        let err = Cmd::new("kru-no-such-program-xyz").run().unwrap_err();
        assert!(
            err.0.contains("could not run `kru-no-such-program-xyz`"),
            "{err}"
        );
    }

    #[test]
    fn failure_names_the_command() {
        let err = Cmd::new("sh").args(["-c", "exit 3"]).run().unwrap_err();
        assert!(err.0.contains("exit status 3"), "{err}");
        assert!(err.0.contains("sh -c 'exit 3'"), "{err}");
    }
}
