import sys, numpy as np
OPS={'n':'none','s':'skip_connect','1':'nor_conv_1x1','3':'nor_conv_3x3','a':'avg_pool_3x3'}
EDGES=[(0,1),(0,2),(1,2),(0,3),(1,3),(2,3)]
def expand(c):
    o=[OPS[x] for x in c]
    return f"|{o[0]}~0|+|{o[1]}~0|{o[2]}~1|+|{o[3]}~0|{o[4]}~1|{o[5]}~2|"
def live(c):
    nz={0}
    for j in (1,2,3):
        if any(i in nz and c[k]!='n' for k,(i,jj) in enumerate(EDGES) if jj==j): nz.add(j)
    reach={3}
    for j in (2,1,0):
        if any(jj in reach and c[k]!='n' and i==j for k,(i,jj) in enumerate(EDGES)): reach.add(j)
    return [c[k] if (i in nz and jj in reach and c[k]!='n') else 'n' for k,(i,jj) in enumerate(EDGES)]
rows=[]
for f in sys.argv[1:]:
    for line in open(f):
        if line.startswith('#') or not line.strip(): continue
        p=line.split(); rows.append((int(p[0]),p[1],*p[2:6]))
idx=[r[0] for r in rows]; assert len(idx)==len(set(idx)), "dup idx"
bad=0
for r in rows:
    assert len(r[1])==6 and all(x in OPS for x in r[1]), r
    i8,lat,pw,en=map(float,r[2:6])
    if abs(pw*lat-en)/en>0.02: print("energy mismatch",r, pw*lat); bad+=1
X=[];y=[]
for r in rows:
    L=live(r[1]); X.append([1,L.count('3'),L.count('1'),L.count('a'),L.count('s')]); y.append(float(r[2]))
X=np.array(X,float);y=np.array(y)
b,*_=np.linalg.lstsq(X,y,rcond=None); res=y-X@b
print("n rows",len(rows),"energy mismatches",bad); print("int8 fit coef",b.round(2),"max|res|",abs(res).max().round(2))
for r,e in zip(rows,res):
    if abs(e)>8: print("int8 outlier",r,round(e,2),live(r[1]))
