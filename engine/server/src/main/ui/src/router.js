import { createRouter, createWebHistory } from 'vue-router'
import { api } from './api/index.js'
import AppLayout from './components/AppLayout.vue'
import LoginPage from './pages/LoginPage.vue'
import DashboardPage from './pages/DashboardPage.vue'
import StoragePoolsPage from './pages/StoragePoolsPage.vue'
import AddStoragePoolPage from './pages/AddStoragePoolPage.vue'
import NotFoundPage from './pages/NotFoundPage.vue'
import VolumesPage from './pages/VolumesPage.vue'
import VolumePage from './pages/VolumePage.vue'
import EventsPage from './pages/EventsPage.vue'
import ImageStoresPage from './pages/ImageStoresPage.vue'
import DiskOfferingsPage from './pages/DiskOfferingsPage.vue'
import SnapshotPoliciesPage from './pages/SnapshotPoliciesPage.vue'
// The cloud admin's pages.
import InfrastructurePage from './pages/InfrastructurePage.vue'
import JobsPage from './pages/JobsPage.vue'
import AlertsPage from './pages/AlertsPage.vue'
import AccountsPage from './pages/AccountsPage.vue'
import SettingsPage from './pages/SettingsPage.vue'
// VMs and what they are made of.
import ServiceOfferingsPage from './pages/ServiceOfferingsPage.vue'
import TemplatesPage from './pages/TemplatesPage.vue'
import NetworksPage from './pages/NetworksPage.vue'
import VmsPage from './pages/VmsPage.vue'
import VmPage from './pages/VmPage.vue'

export const router = createRouter({
  history: createWebHistory('/client/'),
  routes: [
    { path: '/login', name: 'login', component: LoginPage, meta: { title: 'Log in', public: true } },
    {
      path: '/',
      component: AppLayout,
      children: [
        { path: '', name: 'dashboard', component: DashboardPage, meta: { title: 'Dashboard' } },
        { path: 'storage', name: 'storage', component: StoragePoolsPage, meta: { title: 'Primary storage' } },
        { path: 'storage/add', name: 'add-storage', component: AddStoragePoolPage,
          meta: { title: 'Add primary storage' } },
        { path: 'volumes', name: 'volumes', component: VolumesPage, meta: { title: 'Volumes' } },
        { path: 'volumes/:id', name: 'volume', component: VolumePage, meta: { title: 'Snapshots' } },
        { path: 'image-stores', name: 'image-stores', component: ImageStoresPage, meta: { title: 'Secondary storage' } },
        { path: 'disk-offerings', name: 'disk-offerings', component: DiskOfferingsPage, meta: { title: 'Disk offerings' } },
        { path: 'snapshot-policies', name: 'snapshot-policies', component: SnapshotPoliciesPage,
          meta: { title: 'Snapshot policies' } },
        { path: 'events', name: 'events', component: EventsPage, meta: { title: 'Events' } },
        { path: 'infrastructure', name: 'infrastructure', component: InfrastructurePage, meta: { title: 'Infrastructure' } },
        { path: 'jobs', name: 'jobs', component: JobsPage, meta: { title: 'Async jobs' } },
        { path: 'alerts', name: 'alerts', component: AlertsPage, meta: { title: 'Alerts' } },
        { path: 'accounts', name: 'accounts', component: AccountsPage, meta: { title: 'Accounts' } },
        { path: 'settings', name: 'settings', component: SettingsPage, meta: { title: 'Global settings' } },
        { path: 'service-offerings', name: 'service-offerings', component: ServiceOfferingsPage,
          meta: { title: 'Service offerings' } },
        { path: 'templates', name: 'templates', component: TemplatesPage, meta: { title: 'Templates' } },
        { path: 'networks', name: 'networks', component: NetworksPage, meta: { title: 'Networks' } },
        { path: 'vms', name: 'vms', component: VmsPage, meta: { title: 'Virtual machines' } },
        { path: 'vms/:id', name: 'vm', component: VmPage, meta: { title: 'Virtual machine' } },
        { path: ':unknown(.*)', name: 'not-found', component: NotFoundPage, meta: { title: 'Not found' } },
      ],
    },
  ],
})

router.beforeEach((to) => {
  if (!to.meta.public && !api.loggedIn) {
    return { name: 'login', query: to.fullPath === '/' ? {} : { next: to.fullPath } }
  }
  return true
})

router.afterEach((to) => {
  document.title = `${to.meta.title} · rbdstack`
})
