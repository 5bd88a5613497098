# The local cluster's PKI, made once with openssl (sourced by cluster.sh): a CA, the apiserver's
# serving certificate, an admin client certificate (group system:masters, which every component
# and the tests use: this is a test cluster) and the service-account signing key pair.

make_pki() {
  local pki=$1
  [ -s "$pki/admin.crt" ] && return
  mkdir -p "$pki" && chmod 700 "$pki"
  (
    cd "$pki"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 \
      -subj "/CN=gantry-local-kube-ca" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout apiserver.key -out apiserver.csr -subj "/CN=kube-apiserver" 2>/dev/null
    printf '%s\n' "subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local" \
      "extendedKeyUsage=serverAuth" >apiserver.ext
    openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 \
      -extfile apiserver.ext -out apiserver.crt 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout admin.key -out admin.csr -subj "/O=system:masters/CN=gantry-admin" 2>/dev/null
    printf '%s\n' "extendedKeyUsage=clientAuth" >admin.ext
    openssl x509 -req -in admin.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 \
      -extfile admin.ext -out admin.crt 2>/dev/null
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
    rm -f ./*.csr ./*.ext ca.srl
  ) || { echo "kube: openssl could not make the cluster's certificates" >&2; rm -rf "$pki"; return 1; }
}

# An admin kubeconfig for the apiserver on 127.0.0.1:$2, with the certificates inline (a copy
# stays valid wherever it is read from).
write_kubeconfig() {
  local pki=$1 port=$2 file=$3 tmp
  tmp="$(mktemp "$file.XXXXXX")"
  cat >"$tmp" <<YAML
apiVersion: v1
kind: Config
clusters:
  - name: gantry-local
    cluster:
      server: https://127.0.0.1:$port
      certificate-authority-data: $(base64 -w0 <"$pki/ca.crt")
users:
  - name: gantry-admin
    user:
      client-certificate-data: $(base64 -w0 <"$pki/admin.crt")
      client-key-data: $(base64 -w0 <"$pki/admin.key")
contexts:
  - name: gantry-local
    context: { cluster: gantry-local, user: gantry-admin }
current-context: gantry-local
YAML
  chmod 600 "$tmp" && mv "$tmp" "$file"
}
