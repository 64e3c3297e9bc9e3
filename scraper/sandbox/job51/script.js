/* The replica's stand-in for 51job's Vue search page (51job-pages.md §12.2): after the render delay
   it asks its own data call for page N (signed, as the real page's script does), then replaces the
   placeholders or the previous cards with the answer's cards and renders the pager. The page number
   in the page URL is ignored: the list always starts at page 1. */
(function () {
  const cfg = JSON.parse(document.getElementById('replica-config').textContent);
  const list = document.querySelector('.joblist');
  const pager = document.querySelector('.bottom-page > div');
  let current = 1;
  let last = 1;

  const esc = (text) => String(text == null ? '' : text).replace(/[&<>"']/g,
    (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c]));

  function fetchPage(n) {
    const params = new URLSearchParams({api_key: '51job', timestamp: String(Date.now()), keyword: cfg.keyword,
      searchType: '2', jobArea: cfg.jobArea, sortType: '0', pageNum: String(n), requestId: '', keywordType: '',
      pageSize: '20', source: '1', accountId: '', pageCode: 'sou|sou|soulb', scene: '7', decode__1048: 'replica'});
    const xhr = new XMLHttpRequest();
    xhr.open('GET', '/api/job/search-pc?' + params.toString());
    xhr.setRequestHeader('sign', cfg.sign);
    xhr.setRequestHeader('From-Domain', '51job_web');
    xhr.setRequestHeader('property', encodeURIComponent(JSON.stringify({fromdomain: '51job_web', isLogin: '否'})));
    xhr.onload = () => show(n, xhr.responseText);
    xhr.onerror = () => slider();
    xhr.send();
  }

  function load(n) { setTimeout(() => fetchPage(n), cfg.delayMs); }

  function slider() {
    list.innerHTML = '';
    pager.innerHTML = '';
    const overlay = document.createElement('div');
    overlay.id = 'aliyunCaptcha-window-embed';
    overlay.className = 'aliyunCaptcha-show';
    overlay.innerHTML = '<div class="aliyunCaptcha-title">访问验证</div><p>请按住滑块，拖动到最右边</p>' +
      '<div class="nc_bg"><span class="nc_iconfont btn_slide">&gt;&gt;</span></div>';
    document.body.appendChild(overlay);
  }

  function card(item, n, rank) {
    if (item.verify) {
      return '<div class="joblist-item"><div class="joblist-item-job sensors_exposure" sensorsdata="{}">' +
        '<div class="joblist-item-top"><span class="jname text-cut">访问验证</span></div></div></div>';
    }
    const data = {jobId: item.jobId, jobTitle: item.jobName, jobType: item.jobType, funcType: item.funcType,
      jobSalary: item.provideSalaryString, jobArea: item.jobAreaString, jobYear: item.workYearString,
      jobDegree: item.degreeString, companyId: item.coId, jobTime: item.issueDateString,
      isPromote: item.isPromotion ? '是' : '否', advId: item.adId, jobLabel: '', pageCode: 'sou|sou|soulb',
      requestId: cfg.requestId, searchType: 2, keyword: cfg.keyword, pageNum: n, jobRank: rank,
      exrInfo: JSON.stringify({isHrLabel: '否'})};
    const sal = '<span class="sal ' + (cfg.salTop ? 'shrink-0' : 'text-cut') + '">' + esc(item.provideSalaryString) + '</span>';
    const tip = rank % 3 === 0 ? '<span class="tip shrink-0">今日回复8次</span>' : '';
    const hr = rank % 2 === 0 ? '<div class="hr-info"><img class="hr-avatar" src="' + esc(item.smallHrLogoUrl) +
      '"><span class="hr-name">' + esc(item.hrName) + '</span><span class="hr-active">' +
      esc(item.hrActiveStatusGreen) + '</span></div>' : '';
    const dcs = rank % 7 === 5 ? '<span class="dc">' + esc(item.industryType1Str) + '</span>' :
      '<span class="dc">' + esc(item.industryType1Str) + '</span><span class="dc" title="' + esc(item.companyTypeString) +
      '">' + esc(item.companyTypeString) + '</span><span class="dc">' + esc(item.companySizeString) + '</span>';
    return '<div class="joblist-item"><div class="joblist-item-job sensors_exposure" sensorsname="JobShortExposure"' +
      ' sensorsdata="' + esc(JSON.stringify(data)) + '"><div class="joblist-item-top"><span class="jname text-cut" title="' +
      esc(item.jobName) + '">' + esc(item.jobName) + '</span>' + (cfg.salTop ? sal : '') + '</div>' +
      '<div class="joblist-item-jobinfo text-cut">' + (cfg.salTop ? '' : sal) + '<div class="area"><div class="shrink-0">' +
      esc(item.jobAreaString) + '</div></div>' + tip + hr + '</div><div class="joblist-item-tags"><div class="tags">' +
      '<div class="tag">五险一金</div><div class="tag">带薪年假</div></div></div></div>' +
      '<div class="joblist-item-right"><a class="comp" href="/all/co' + esc(item.coId) + '.html">' +
      '<img class="comlogo" src="/static/logo.png"><span class="cname text-cut" title="' + esc(item.fullCompanyName) +
      '">' + esc(item.companyName) + '</span><div class="bc">' + dcs + '</div></a></div></div>';
  }

  const APP_CARD = '<div class="joblist-item"><div class="joblist-item-job sensors_exposure" sensorsdata="' +
    esc(JSON.stringify({jobTitle: 'APP下载', pageCode: 'sou|sou|soulb'})) + '"><div class="joblist-item-top">' +
    '<span class="jname text-cut">APP下载</span></div></div></div>';

  function renderPager() {
    const numbers = [];
    for (let i = Math.max(1, current - 2); i <= Math.min(last, current + 2); i++) {
      numbers.push('<li class="number' + (i === current ? ' active' : '') + '">' + i + '</li>');
    }
    pager.innerHTML = '<div class="el-pagination is-background"><button type="button" class="btn-prev"' +
      (current <= 1 ? ' disabled="disabled"' : '') + '><i class="el-icon el-icon-arrow-left"></i></button>' +
      '<ul class="el-pager">' + numbers.join('') + '</ul><button type="button" class="btn-next"' +
      (current >= last ? ' disabled="disabled"' : '') + '><i class="el-icon el-icon-arrow-right"></i></button></div>' +
      '<input id="jump_page" class="mytxt" type="text"> <span class="jumpPage">确定</span>';
    const next = pager.querySelector('.btn-next');
    next.addEventListener('click', () => { if (!next.disabled) load(current + 1); });
    const jump = () => {
      const n = parseInt(pager.querySelector('#jump_page').value, 10);
      if (n >= 1 && n <= last) load(n);
    };
    pager.querySelector('.jumpPage').addEventListener('click', jump);
    pager.querySelector('#jump_page').addEventListener('keyup', (e) => { if (e.key === 'Enter') jump(); });
  }

  function show(n, text) {
    let answer;
    try { answer = JSON.parse(text); } catch (e) { slider(); return; }
    if (!answer || answer.status !== '1') { slider(); return; }
    const job = answer.resultbody.job;
    if (job.totalCount === 0 && answer.resultbody.area === '全国') {
      document.title = '全国招聘-前程无忧';
      list.innerHTML = '';
      pager.innerHTML = '';
      return;
    }
    if (job.totalCount === 0) {
      list.innerHTML = '<div class="j_nolist">哦哦！没有职位不要怕，你那么年轻那么好看，再重搜一次呗~</div>';
      pager.innerHTML = '';
      return;
    }
    current = n;
    last = Math.min(50, Math.ceil(job.totalCount / 20));
    const cards = job.items.map((item, rank) => card(item, n, rank));
    if (!job.items.some((item) => item.verify)) cards.splice(Math.min(3, cards.length), 0, APP_CARD);
    list.innerHTML = cards.join('');
    renderPager();
  }

  load(1);
})();
