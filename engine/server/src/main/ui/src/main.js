import { createApp } from 'vue'
import Antd from 'ant-design-vue'
import 'ant-design-vue/dist/reset.css'
import './style.css'
import App from './App.vue'
import { router } from './router.js'
import { api } from './api/index.js'

// A session the server ended (expired, password changed, account disabled) sends the user to login.
api.onSessionEnded = () => {
  if (router.currentRoute.value.name !== 'login') {
    router.push({ name: 'login', query: { next: router.currentRoute.value.fullPath, ended: '1' } })
  }
}

createApp(App).use(Antd).use(router).mount('#app')
