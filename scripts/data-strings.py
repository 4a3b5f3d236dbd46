#!/usr/bin/env python3
"""The text in a wasm's data segments, attributed to the Rust string literals of src/ (tests
left out), largest first, then the printable runs no literal explains (wasm-bindgen's own
messages, tables). Usage, after make build: python3 scripts/data-strings.py pkg/salesforce_pkce_bg.wasm
Columns: the literal's length, the bytes of data it alone accounts for, its first source line."""
import sys, re, glob
def leb(b, i):
    r=0; s=0
    while True:
        x=b[i]; i+=1; r|=(x&0x7f)<<s; s+=7
        if x<0x80: return r,i
def segs(path):
    b=open(path,'rb').read(); i=8; out=[]
    while i<len(b):
        sid=b[i]; i+=1; n,i=leb(b,i); end=i+n
        if sid==11:
            cnt,j=leb(b,i)
            for _ in range(cnt):
                flag,j=leb(b,j)
                if flag==0:
                    # const expr
                    op=b[j]; j+=1
                    off,j=leb(b,j) if op==0x41 else (0,j)
                    while b[j]!=0x0b: j+=1
                    j+=1
                elif flag==2:
                    _,j=leb(b,j); op=b[j]; j+=1; off,j=leb(b,j); j+=1
                else: off=None
                sz,j=leb(b,j); out.append((off,b[j:j+sz])); j+=sz
        i=end
    return out
wasm=sys.argv[1]
data=b''.join(d for _,d in segs(wasm))
lits={}
for f in glob.glob('src/**/*.rs', recursive=True):
    if re.search(r'_tests?\.rs$|/tests/|golden|_expected', f): continue
    src=open(f).read()
    for m in re.finditer(r'(?<![A-Za-z0-9_\'])"((?:[^"\\]|\\.)*)"', src):
        s=m.group(1)
        try: s=bytes(s,'utf-8').decode('unicode_escape').encode('latin-1').decode('utf-8').encode()
        except Exception: s=s.encode()
        if len(s)<4: continue
        line=src.count('\n',0,m.start())+1
        lits.setdefault(s,[]).append(f"{f}:{line}")
covered=bytearray(len(data))
rows=[]
for s,locs in lits.items():
    i=data.find(s)
    if i<0: continue
    new=0
    while i>=0:
        for k in range(i,i+len(s)):
            if not covered[k]: covered[k]=1; new+=1
        i=data.find(s,i+1)
    rows.append((len(s),new,s.decode('utf-8','replace'),locs[0],len(locs)))
rows.sort(reverse=True)
tot=sum(r[1] for r in rows)
print(f"# data {len(data)} B; attributed {tot} B to {len(rows)} literals")
for r in rows: print(f"{r[0]:5} {r[1]:5} {r[3]}{'(+%d)'%(r[4]-1) if r[4]>1 else ''} {r[2]!r}")
# unattributed printable runs
un=[]
cur=b''
for k,b in enumerate(data):
    if not covered[k] and 0x20<=b<0x7f: cur+=bytes([b])
    else:
        if len(cur)>=8: un.append(cur)
        cur=b''
un.sort(key=len, reverse=True)
print("# unattributed runs >=8:", sum(map(len,un)))
for u in un[:60]: print(len(u), u.decode())
