# Sourced by scripts/test.sh: Spark, which cxm.spark's tests start for real, runs on a JVM, Java
# 17 or later (Spark 4 supports 17 and 21). Uses $JAVA_HOME's java when set, else the one on
# PATH. Without one, installs Debian's headless JRE (openjdk-17-jre-headless, or 21 where the
# release has no 17), with sudo when not root; elsewhere it stops with what to install.
java_major() {
  "${JAVA_HOME:+$JAVA_HOME/bin/}java" -version 2>&1 | sed -n 's/.* version "\([0-9]*\).*/\1/p' | head -n 1 || true
}
java_missing() {
  echo "cxm.spark's tests need Java 17 or later (Spark 4): $1." >&2
  echo "Install a JRE 17 or 21 (Debian/Ubuntu: apt-get install openjdk-17-jre-headless) or set JAVA_HOME." >&2
  exit 1
}
major=$(java_major)
if [ -z "$major" ] || [ "$major" -lt 17 ]; then
  found=${major:+Java $major}
  found=${found:-no java}
  if [ -n "${JAVA_HOME:-}" ]; then
    java_missing "JAVA_HOME=$JAVA_HOME has $found"
  fi
  command -v apt-get > /dev/null || java_missing "found $found, and no apt-get to install one"
  as_root=()
  if [ "$(id -u)" != 0 ]; then
    sudo -n true 2> /dev/null || java_missing "found $found, and apt-get needs root but sudo wants a password"
    as_root=(sudo -n)
  fi
  echo "no Java 17 or later ($found): installing Debian's headless JRE"
  "${as_root[@]}" apt-get update -qq
  jre=openjdk-17-jre-headless
  if ! apt-cache show "$jre" > /dev/null 2>&1; then jre=openjdk-21-jre-headless; fi
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$jre"
  hash -r
  major=$(java_major)
  [ -n "$major" ] && [ "$major" -ge 17 ] || java_missing "installing $jre did not put Java 17 or later on PATH"
fi
echo "Java $(java_major): $(readlink -f "$(command -v "${JAVA_HOME:+$JAVA_HOME/bin/}java")")"
