//! `cargo xtask test jvm`: the Android binding (`bindings-android/`) on the host JVM.
//!
//! There is no Android SDK or NDK here, so the same Java sources and the same JNI C file are
//! built for the host and tested on OpenJDK, as an Android app would use them:
//!
//! 1. `libkru.a` (debug, `cargo build -p kru-c --lib`);
//! 2. the test packs: safe-migration (`kru build`), a signed copy with its key and another key
//!    (`make_fixtures`), and a copy with a Burmese (`my`) language;
//! 3. `libkru_jni.so` from `bindings-android/src/main/c/kru_jni.c` with gcc
//!    `-Wall -Wextra -Werror -pedantic` against `$JAVA_HOME/include{,/linux}` and `libkru.a`;
//! 4. the Java API (`javac --release 11 -Xlint:all -Werror`) and the JUnit 4 tests
//!    (`/usr/share/java/junit4.jar`, Debian's `junit4`, installed by setup);
//! 5. `java -Xcheck:jni` with a fixed, pre-touched heap (so the leak test's RSS is native
//!    memory) runs `org.kru.TestMain`, which prints `N passed, M failed`. The step fails when
//!    a test fails or when the JVM prints any JNI warning.

use std::path::{Path, PathBuf};

use crate::bail;
use crate::cmd::Cmd;
use crate::test::{C_PACKAGE, C_STATICLIB};
use crate::util::{display_path, require, root, root_path, target_dir, IoContext, Result};

/// The JUnit 4 jar of Debian's `junit4` package, and the Hamcrest jar it needs.
pub const JUNIT_JARS: &[&str] = &["/usr/share/java/junit4.jar", "/usr/share/java/hamcrest.jar"];

/// The binding's folder.
const ANDROID_DIR: &str = "bindings-android";

/// `$JAVA_HOME`, or the JDK that the `javac` on PATH belongs to.
fn java_home() -> Result<PathBuf> {
    if let Some(home) = std::env::var_os("JAVA_HOME").filter(|h| !h.is_empty()) {
        return Ok(PathBuf::from(home));
    }
    let javac = Cmd::new("sh")
        .args(["-c", "readlink -f \"$(command -v javac)\""])
        .read()?;
    let javac = PathBuf::from(javac.trim());
    match javac.parent().and_then(Path::parent) {
        Some(home) if home.join("include/jni.h").is_file() => Ok(home.to_path_buf()),
        _ => bail!(
            "cannot find the JDK (no JAVA_HOME, and `javac` is {}): install a JDK \
             (apt-get install openjdk-17-jdk-headless)",
            javac.display()
        ),
    }
}

/// Every `.java` file under `dir`, sorted.
fn java_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).at("cannot read", &d)? {
            let path = entry.at("cannot read", &d)?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "java") {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// The safe-migration pack source with a Burmese (`my`) language added: the English strings
/// with some of them in Burmese (the title, the `sex` field and its first two options, the
/// `commune` field), so that Burmese text goes through a real pack.
fn burmese_source(dir: &Path) -> Result {
    let from = root_path("content-packs/safe-migration");
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir.join("i18n")).at("cannot create", dir)?;
    for name in [
        "pack.toml",
        "items.toml",
        "lessons.toml",
        "i18n/en.toml",
        "i18n/km.toml",
    ] {
        let src = from.join(name);
        std::fs::copy(&src, dir.join(name)).at("cannot copy", &src)?;
    }
    // The pack's media (the pictograms, the English audio): `kru build` checks that they are there.
    for folder in ["pictograms", "audio/en/synthetic"] {
        let media = from.join(folder);
        std::fs::create_dir_all(dir.join(folder)).at("cannot create", dir)?;
        for entry in std::fs::read_dir(&media).at("cannot read", &media)? {
            let src = entry.at("cannot read", &media)?.path();
            if let Some(name) = src.file_name() {
                std::fs::copy(&src, dir.join(folder).join(name)).at("cannot copy", &src)?;
            }
        }
    }
    let pack_toml = dir.join("pack.toml");
    let pack = std::fs::read_to_string(&pack_toml).at("cannot read", &pack_toml)?;
    let english = "[[language]]\ntag = \"en\"";
    if !pack.contains(english) {
        bail!("content-packs/safe-migration/pack.toml no longer has `{english}`: update xtask/src/jvm.rs");
    }
    let pack = pack.replacen(
        english,
        &format!(
            "[[language]]\ntag = \"my\"\nname = \"မြန်မာ\"\nstatus = \"draft\"\nnumerals = \"latin\"\n\n{english}"
        ),
        1,
    );
    std::fs::write(&pack_toml, pack).at("cannot write", &pack_toml)?;
    let en_toml = from.join("i18n/en.toml");
    let mut my = std::fs::read_to_string(&en_toml).at("cannot read", &en_toml)?;
    for (english, burmese) in [
        (
            "title = \"Safe migration: six key messages\"\ndescription",
            "title = \"ဘေးကင်းသော ရွှေ့ပြောင်းသွားလာခြင်း\"\ndescription",
        ),
        ("label = \"Are you…\"", "label = \"သင်သည်…\""),
        ("female = \"Female\"", "female = \"အမျိုးသမီး\""),
        ("male = \"Male\"", "male = \"အမျိုးသား\""),
        (
            "label = \"Which commune do you live in?\"",
            "label = \"သင် ဘယ်ကျေးရွာအုပ်စုမှာ နေပါသလဲ။\"",
        ),
    ] {
        if !my.contains(english) {
            bail!("i18n/en.toml no longer has `{english}`: update xtask/src/jvm.rs");
        }
        my = my.replacen(english, burmese, 1);
    }
    let my_toml = dir.join("i18n/my.toml");
    std::fs::write(&my_toml, my).at("cannot write", &my_toml)
}

/// Builds the test packs into `work`.
fn packs(work: &Path) -> Result {
    let pack = work.join("safe-migration.krupack");
    Cmd::cargo()
        .args([
            "run",
            "-q",
            "-p",
            "kru-cli",
            "--",
            "build",
            "content-packs/safe-migration",
            "-o",
        ])
        .arg(&pack)
        .run()?;
    Cmd::cargo()
        .args([
            "run",
            "-q",
            "-p",
            C_PACKAGE,
            "--example",
            "make_fixtures",
            "--",
        ])
        .arg(&pack)
        .arg(work)
        .run()?;
    let src = work.join("burmese-src");
    burmese_source(&src)?;
    Cmd::cargo()
        .args(["run", "-q", "-p", "kru-cli", "--", "build"])
        .arg(&src)
        .arg("-o")
        .arg(work.join("burmese.krupack"))
        .run()
}

/// The whole step.
pub fn test() -> Result {
    require(&format!("{ANDROID_DIR}/src/main/c/kru_jni.c"))?;
    require(&format!("{ANDROID_DIR}/src/main/java/org/kru"))?;
    require(&format!("{ANDROID_DIR}/src/test/java/org/kru"))?;
    for jar in JUNIT_JARS {
        if !Path::new(jar).is_file() {
            bail!("missing: {jar} (apt-get install junit4, or run `cargo xtask setup`)");
        }
    }
    let work = target_dir().join("kru-jvm-test");
    std::fs::create_dir_all(&work).at("cannot create", &work)?;

    Cmd::cargo()
        .args(["build", "-p", C_PACKAGE, "--lib"])
        .run()?;
    let libkru = target_dir().join("debug").join(C_STATICLIB);
    if !libkru.is_file() {
        bail!("cargo did not write {}", display_path(&libkru));
    }
    packs(&work)?;

    let home = java_home()?;
    let jni = work.join("libkru_jni.so");
    Cmd::new("gcc")
        .args([
            "-std=c11",
            "-Wall",
            "-Wextra",
            "-Werror",
            "-pedantic",
            "-g",
            "-fPIC",
            "-shared",
        ])
        .arg("-Wl,-z,defs")
        .arg("-I")
        .arg(home.join("include"))
        .arg("-I")
        .arg(home.join("include/linux"))
        .arg("-I")
        .arg(root_path("bindings-c/include"))
        .arg(root_path(&format!("{ANDROID_DIR}/src/main/c/kru_jni.c")))
        .arg(&libkru)
        .args(["-lpthread", "-ldl", "-lm", "-o"])
        .arg(&jni)
        .run()?;

    // The module's CMakeLists.txt, host branch: the same library through CMake.
    let cmake_build = work.join("cmake-build");
    let _ = std::fs::remove_dir_all(&cmake_build);
    Cmd::new("cmake")
        .env("JAVA_HOME", &home)
        .arg("-S")
        .arg(root_path(ANDROID_DIR))
        .arg("-B")
        .arg(&cmake_build)
        .arg(format!("-DKRU_TARGET_DIR={}", target_dir().display()))
        .arg("-DKRU_PROFILE=debug")
        .run()?;
    Cmd::new("cmake").arg("--build").arg(&cmake_build).run()?;
    // Every native method of Native.java is exported by both builds (a missing one would only
    // fail when called, with UnsatisfiedLinkError).
    let native_java = root_path(&format!("{ANDROID_DIR}/src/main/java/org/kru/Native.java"));
    let declared: Vec<String> = std::fs::read_to_string(&native_java)
        .at("cannot read", &native_java)?
        .split("static native ")
        .skip(1)
        .filter_map(|rest| {
            let name = rest.split('(').next()?.split_whitespace().last()?;
            Some(format!("Java_org_kru_Native_{name}"))
        })
        .collect();
    for lib in [jni.clone(), cmake_build.join("libkru_jni.so")] {
        let symbols = Cmd::new("nm")
            .args(["-D", "--defined-only"])
            .arg(&lib)
            .read()?;
        let missing: Vec<&String> = declared
            .iter()
            .filter(|name| !symbols.lines().any(|l| l.ends_with(&format!(" {name}"))))
            .collect();
        if declared.is_empty() || !missing.is_empty() {
            bail!(
                "{} lacks native methods of Native.java: {missing:?}",
                display_path(&lib)
            );
        }
    }
    println!(
        "✓ libkru_jni.so (gcc and CMake) export all {} native methods of Native.java",
        declared.len()
    );

    let classes = work.join("classes");
    let test_classes = work.join("test-classes");
    for d in [&classes, &test_classes] {
        let _ = std::fs::remove_dir_all(d);
    }
    let javac = home.join("bin/javac");
    // Java 11 source level, every lint an error, UTF-8 sources; the output folder follows.
    const JAVAC_FLAGS: [&str; 7] = [
        "--release",
        "11",
        "-Xlint:all",
        "-Werror",
        "-encoding",
        "UTF-8",
        "-d",
    ];
    let java = home.join("bin/java");
    Cmd::new(&javac)
        .args(JAVAC_FLAGS)
        .arg(&classes)
        .args(java_files(&root_path(&format!(
            "{ANDROID_DIR}/src/main/java"
        )))?)
        .run()?;
    let junit = JUNIT_JARS.join(":");
    Cmd::new(&javac)
        .args(JAVAC_FLAGS)
        .arg(&test_classes)
        .arg("-cp")
        .arg(format!("{}:{junit}", classes.display()))
        .args(java_files(&root_path(&format!(
            "{ANDROID_DIR}/src/test/java"
        )))?)
        .run()?;

    let output = Cmd::new(&java)
        .args(["-Xcheck:jni", "-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch"])
        .arg(format!("-Dorg.kru.jni.library={}", jni.display()))
        .arg(format!("-Dorg.kru.test.dir={}", work.display()))
        .arg(format!("-Dorg.kru.test.root={}", root().display()))
        .arg("-cp")
        .arg(format!(
            "{}:{}:{junit}",
            classes.display(),
            test_classes.display()
        ))
        .arg("org.kru.TestMain")
        .probe()?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    print!("{stdout}");
    if !stderr.trim().is_empty() {
        eprintln!("--- stderr of the JVM ---\n{stderr}");
    }
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("WARNING") || l.contains("FATAL ERROR"))
        .collect();
    if !warnings.is_empty() {
        bail!(
            "java -Xcheck:jni printed {} warning(s), e.g. {}",
            warnings.len(),
            warnings[0]
        );
    }
    let summary = stdout.lines().last().unwrap_or("").trim().to_owned();
    let passed = summary
        .strip_suffix(" passed, 0 failed")
        .and_then(|n| n.parse::<u32>().ok());
    match passed {
        Some(n) if n > 0 && output.status.success() => {
            println!("JVM tests: {summary} (java -Xcheck:jni, no JNI warnings)");
            Ok(())
        }
        _ => bail!(
            "JVM tests: `{summary}` ({})",
            crate::cmd::describe(output.status)
        ),
    }
}
